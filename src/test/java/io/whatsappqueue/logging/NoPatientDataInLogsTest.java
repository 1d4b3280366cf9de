package io.whatsappqueue.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real service, run as operators run it (role all, sandbox Evolution), gets every webhook fixture and
 * every kind of admin call; its whole captured log must then hold no phone number, no message text, no
 * token, key or QR code.
 */
class NoPatientDataInLogsTest {
    @RegisterExtension
    static final TestApp REDIS = TestApp.processes("acme-support");
    private static final String WEBHOOK_TOKEN = "wh-secret-7f3a9c21";
    private static final String ADMIN_TOKEN = "admin-secret-41b7e0d9";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CONVERSATION = Pattern.compile("\"(?:conversation|text|caption|selectedDisplayText)\"\\s*:\\s*\"([^\"]{6,})\"");
    private static final Pattern PHONE = Pattern.compile("\\b(\\d{10,15})@(?:s\\.whatsapp\\.net|lid|g\\.us)");
    private static final Pattern SECRET = Pattern.compile("\"(?:apikey|code|base64)\"\\s*:\\s*\"([^\"]{12,})\"");

    @Test
    void aFullRunOfAllFixturesAndAdminCallsLeavesNoPhoneNumberTextOrKeyInTheLog() throws Exception {
        int port = TestRedis.freePort();
        Path fixtures = Path.of("src/test/resources/fixtures/evolution");
        List<Path> files;
        try (Stream<Path> s = Files.list(fixtures)) {
            files = s.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".txt")).sorted().toList();
        }
        try (WorkerProcess app = WorkerProcess.launch(Map.of(
                "REDIS_URL", TestRedis.url(), "PORT", String.valueOf(port), "WA_ROLE", "all",
                "WA_INSTANCES", "acme-support", "WEBHOOK_TOKEN", WEBHOOK_TOKEN, "ADMIN_TOKEN", ADMIN_TOKEN,
                "WA_MAX_MESSAGE_AGE_S", "0", "WA_SEND_DELAY_MS", "0", "WA_TOKENS_PER_SECOND", "0",
                "WA_TYPING_DELAY_MS", "0"), "Consuming inbound of")) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> status(port, "GET", "/admin/streams/health", "Bearer " + ADMIN_TOKEN) == 200);

            for (Path f : files) {
                post(port, "/webhooks/evolution", Files.readAllBytes(f), "X-Webhook-Token", WEBHOOK_TOKEN);
            }
            // a wrong token and a bearer that is not a JWT are logged as refusals, never echoed
            post(port, "/webhooks/evolution", Files.readAllBytes(files.get(0)), "X-Webhook-Token", "wrong-" + WEBHOOK_TOKEN);
            post(port, "/webhooks/evolution/acme-support", Files.readAllBytes(files.get(0)), "Authorization", "Bearer " + ADMIN_TOKEN);
            // every event worked off, no burst left waiting (the default WA_DEBOUNCE_MS answers a chat's burst once)
            // and every reply sent; fixture 15 ("Talk to a person") hands the chat to staff: acknowledgement, pause
            String inbound = io.whatsappqueue.redis.Keys.inboundStream("acme-support");
            String outbound = io.whatsappqueue.redis.Keys.sendStream("acme-support");
            String bursts = io.whatsappqueue.redis.Keys.debounceDue("acme-support");
            await().atMost(Duration.ofSeconds(60)).until(() -> TestRedis.xlen(inbound) == 0 && TestRedis.xlen(outbound) == 0
                    && TestRedis.client().getScoredSortedSet(bursts).isEmpty()
                    && body(port, "/sandbox/outbox").matches("(?s).*\"count\":[1-9].*"));

            for (String[] call : List.of(
                    new String[] {"GET", "/admin/streams/health?instance=acme-support"},
                    new String[] {"GET", "/admin/streams/health?instance=all"},
                    new String[] {"GET", "/admin/streams/dlq?instance=acme-support&reveal=true"},
                    new String[] {"POST", "/admin/chats/447700900123/pause?instance=acme-support&minutes=5"},
                    new String[] {"GET", "/admin/chats/paused?instance=acme-support&reveal=true"},
                    new String[] {"POST", "/admin/chats/447700900123/resume?instance=acme-support"},
                    new String[] {"POST", "/admin/streams/claim-pending-to-worker?instance=acme-support"},
                    new String[] {"POST", "/admin/streams/reset-to-latest?instance=acme-support"},
                    new String[] {"DELETE", "/admin/streams/dlq?instance=acme-support"},
                    new String[] {"GET", "/admin/streams/health?instance=ghost%0Ainjected"})) {
                status(port, call[0], call[1], "Bearer " + ADMIN_TOKEN);
            }
            status(port, "GET", "/admin/streams/dlq?instance=acme-support", "Bearer wrong-" + ADMIN_TOKEN);
            app.terminate();
            app.awaitExit(40);

            String log = String.join("\n", app.output());
            assertThat(log).as("the run happened").contains("outcome=sent");
            List<String> leaks = new ArrayList<>();
            for (Path f : files) {
                String fixture = Files.readString(f);
                collect(CONVERSATION, fixture, 1, leaks);
                collect(PHONE, fixture, 1, leaks);
                collect(SECRET, fixture, 1, leaks);
            }
            leaks.addAll(List.of(WEBHOOK_TOKEN, ADMIN_TOKEN, "447700900123", "12025550143"));
            List<String> found = leaks.stream().distinct().filter(log::contains).toList();
            assertThat(found).as("patient data or secrets in the log").isEmpty();
        }
    }

    private static void collect(Pattern p, String text, int group, List<String> out) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            String v = m.group(group);
            // the part a log could carry: the number, or the first words of a text or key
            out.add(v.length() > 24 ? v.substring(0, 24) : v);
        }
    }

    private static void post(int port, String path, byte[] body, String header, String value) throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header(header, value)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static int status(int port, String method, String path, String auth) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String body(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
