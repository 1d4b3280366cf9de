package io.whatsappqueue.logging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/**
 * The real service, given distinctive secrets, is driven down every path that could show one: the start-up
 * log (Camel's property summary) at DEBUG, webhooks with right and wrong tokens, an Evolution and an AI that
 * echo our keys back in their errors, every admin call (DLQ revealed), the OpenAPI document, health, info,
 * metrics, and Jolokia, anonymous and logged in: route dumps with placeholders resolved, every Camel MBean's
 * attributes (endpoint URIs, components, services), the JVM's properties, and an operator's simple-language
 * probe of a property. No secret value may be in any answer or any log line.
 */
class NoSecretLeavesTheProcessTest {
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CONTEXT = "org.apache.camel:context=whatsapp-queue,type=context,name=%22whatsapp-queue%22";

    static {
        SECRETS.put("ADMIN_TOKEN", "adm-Q7v9Lr2KxW41");
        SECRETS.put("WEBHOOK_TOKEN", "whk-Z3p8Nc6TyB07");
        SECRETS.put("EVOLUTION_API_KEY", "evo-M5s1Hd9QeR63");
        SECRETS.put("AI_API_KEY", "sk-ai/K8f2Wb4+Jn55");
        SECRETS.put("JOLOKIA_PASSWORD", "jol-T6g3Vx8PmA29");
        SECRETS.put("API_TOKEN", "api-C4k7Ds1RwF80");
        SECRETS.put("WA_STATUS_CALLBACK_SECRET", "cb-H2j6Lq9VsN14");
    }

    @Test
    void noConfiguredSecretAppearsInAnyLogLineOrAnswer() throws Exception {
        FakeEvolution evolution = new FakeEvolution();
        WireMockServer ai = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        ai.start();
        // peers that quote our credentials back in their errors, as OpenAI's "Incorrect API key provided" does
        ai.stubFor(post(urlPathMatching(".*/chat/completions")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + SECRETS.get("AI_API_KEY")
                        .replace("/", "\\/") + "\",\"type\":\"invalid_request_error\"}}")));
        evolution.server().stubFor(FakeEvolution.sendText().willReturn(FakeEvolution.error(400,
                "[\"apikey " + SECRETS.get("EVOLUTION_API_KEY") + " may not send to this number\"]")));
        int port = TestRedis.freePort();
        int management = TestRedis.freePort();
        Map<String, String> env = new LinkedHashMap<>(SECRETS);
        env.putAll(Map.of("REDIS_URL", TestRedis.url(), "PORT", String.valueOf(port),
                "MANAGEMENT_PORT", String.valueOf(management), "WA_ROLE", "all", "WA_INSTANCES", "acme-support",
                "EVOLUTION_SERVER_URL", evolution.url(), "AI_BASE_URL", "http://127.0.0.1:" + ai.port() + "/v1",
                "JOLOKIA_USER", "ops", "LOG_LEVEL", "DEBUG", "LOG4J_CONFIGURATION_FILE", "log4j2.xml"));
        env.putAll(Map.of("WA_MAX_MESSAGE_AGE_S", "0", "WA_SEND_DELAY_MS", "0", "WA_TOKENS_PER_SECOND", "0",
                "WA_TYPING_DELAY_MS", "0", "WA_MAX_DELIVERIES", "1",
                "WA_STATUS_CALLBACK_URL", "http://127.0.0.1:" + ai.port() + "/status-callbacks"));
        List<String> answers = new ArrayList<>();
        try (WorkerProcess app = WorkerProcess.launch(env, "Consuming inbound of")) {
            String admin = "Bearer " + SECRETS.get("ADMIN_TOKEN");
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> call(port, "GET", "/admin/streams/health", admin, null).statusCode() == 200);

            byte[] message = Files.readAllBytes(Path.of("src/test/resources/fixtures/evolution/01-text-conversation.json"));
            answers.add(webhook(port, message, SECRETS.get("WEBHOOK_TOKEN")));
            answers.add(webhook(port, message, "wrong-" + SECRETS.get("WEBHOOK_TOKEN")));
            // the reply was generated (AI refused: fallback) and its send refused: it is in the DLQ
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    call(port, "GET", "/admin/streams/dlq?instance=acme-support", admin, null).body().contains("\"count\":1"));

            for (String[] c : List.of(
                    new String[] {"GET", "/admin/streams/health?instance=all"},
                    new String[] {"GET", "/admin/streams/dlq?instance=acme-support&reveal=true"},
                    new String[] {"GET", "/admin/streams/dlq?instance=acme-support"},
                    new String[] {"GET", "/admin/chats/paused?instance=acme-support&reveal=true"},
                    new String[] {"POST", "/admin/streams/claim-pending-to-worker?instance=acme-support"},
                    new String[] {"GET", "/admin/no-such-thing"},
                    new String[] {"PUT", "/admin/streams/health"},
                    new String[] {"GET", "/openapi.json"})) {
                answers.add(call(port, c[0], c[1], admin, null).body());
            }
            answers.add(call(port, "GET", "/admin/streams/dlq", "Bearer wrong", null).body());
            String api = "Bearer " + SECRETS.get("API_TOKEN");
            String sent = call(port, "POST", "/api/messages", api,
                    "{\"instance\":\"acme-support\",\"to\":\"447700900999\",\"text\":\"hi\"}").body();
            answers.add(sent);
            answers.add(call(port, "GET", "/api/messages/" + new com.fasterxml.jackson.databind.ObjectMapper().readTree(sent)
                    .path("message_id").asText() + "?reveal=true", api, null).body());
            answers.add(call(port, "POST", "/api/messages", "Bearer wrong", "{}").body());
            for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/health/live",
                    "/observe/metrics", "/observe/info")) {
                answers.add(call(management, "GET", path, null, null).body());
            }

            String operator = "Basic " + Base64.getEncoder().encodeToString(
                    ("ops:" + SECRETS.get("JOLOKIA_PASSWORD")).getBytes(StandardCharsets.UTF_8));
            for (String login : new String[] {null, operator}) {
                for (String path : List.of(
                        "/exec/" + CONTEXT + "/dumpRoutesAsXml(boolean)/true",
                        "/exec/" + CONTEXT + "/dumpRoutesAsXml(boolean,boolean)/true/true",
                        "/exec/" + CONTEXT + "/dumpRoutesAsYaml(boolean)/true",
                        "/exec/" + CONTEXT + "/dumpRoutesAsYaml(boolean,boolean)/true/true",
                        "/exec/" + CONTEXT + "/dumpRestsAsXml(boolean)/true",
                        "/exec/" + CONTEXT + "/getGlobalOptions()",
                        "/read/org.apache.camel:*?ignoreErrors=true",
                        "/read/java.lang:type=Runtime",
                        "/list")) {
                    answers.add(call(management, "GET", "/observe/jolokia" + path, login, null).body());
                }
            }
            // an operator asking Camel itself to resolve a secret property
            String probe = "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT.replace("%22", "\\\"")
                    + "\",\"operation\":\"requestBody(java.lang.String,java.lang.Object)\",\"arguments\":"
                    + "[\"language:simple:${properties:EVOLUTION_API_KEY} ${properties:ADMIN_TOKEN}\",\"x\"]}";
            String probed = call(management, "POST", "/observe/jolokia", operator, probe).body();
            assertThat(probed).as("the operator's probe ran").contains("\"status\":200");
            answers.add(probed);

            app.terminate();
            app.awaitExit(40);
            String log = String.join("\n", app.output());
            assertThat(log.contains("Property-placeholders summary") && log.contains("outcome=ai_fallback"))
                    .as("the run happened, logging as in production").isTrue();

            List<String> leaks = new ArrayList<>();
            for (Map.Entry<String, String> s : SECRETS.entrySet()) {
                for (String form : forms(s.getValue())) {
                    if (log.contains(form)) {
                        leaks.add(s.getKey() + " in the log: " + around(log, form));
                    }
                    for (String a : answers) {
                        if (a.contains(form)) {
                            leaks.add(s.getKey() + " in an answer: " + around(a, form));
                        }
                    }
                }
            }
            assertThat(leaks).as("secret values that left the process").isEmpty();
        } finally {
            evolution.stop();
            ai.stop();
        }
    }

    private static String around(String text, String form) {
        int i = text.indexOf(form);
        return text.substring(Math.max(0, i - 160), Math.min(text.length(), i + form.length() + 40));
    }

    /** The value as it would be written raw, in JSON (with escaped slashes) and URL-encoded. */
    private static List<String> forms(String secret) {
        return List.of(secret, secret.replace("/", "\\/"), URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    private static String webhook(int port, byte[] body, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/evolution"))
                .header("X-Webhook-Token", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> call(int port, String method, String path, String auth, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
