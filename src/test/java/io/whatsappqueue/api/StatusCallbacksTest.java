package io.whatsappqueue.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.whatsappqueue.admin.AdminHttp;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.Webhooks;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Status callbacks as the clinic's receiver sees them: every change of a message POSTed, signed with
 * WA_STATUS_CALLBACK_SECRET over the exact body, in order per message; a receiver that is down gets every change
 * once it is back, and sending goes on meanwhile.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusCallbacksTest {
    private static final String INSTANCE = "clinic-api-callbacks";
    private static final String SECRET = "callback-secret-for-tests";
    private static final String PATH = "/clinic/whatsapp-status";
    private static final WireMockServer RECEIVER = receiver();
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of("WA_ROLE", "all", "API_TOKEN", ApiSendTest.TOKEN,
            "WA_STATUS_CALLBACK_URL", "http://127.0.0.1:" + RECEIVER.port() + PATH,
            "WA_STATUS_CALLBACK_SECRET", SECRET)).closing(RECEIVER::stop);
    private static final FakeEvolution EVOLUTION = APP.evolution();
    private static final AdminHttp API = AdminHttp.as(ApiSendTest.TOKEN);

    private static WireMockServer receiver() {
        WireMockServer s = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        s.start();
        s.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        return s;
    }

    private static String send(String to, String metadata) {
        AdminHttp.Answer a = API.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"" + to
                + "\",\"text\":\"Your results are ready\"" + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}");
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        return a.json().path("message_id").asText();
    }

    /** The callbacks the receiver answered 2xx for one message, in arrival order, each signature checked. */
    private static List<JsonNode> delivered(String messageId) {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : RECEIVER.getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() / 100 == 2 && e.getRequest().getUrl().equals(PATH))
                .map(e -> (LoggedRequest) e.getRequest())
                .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).toList()) {
            JsonNode body = FakeEvolution.json(r.getBodyAsString());
            if (body.path("message_id").asText().equals(messageId)) {
                assertThat(r.getHeader("X-Signature")).isEqualTo("sha256=" + hmac(r.getBody()));
                assertThat(r.getHeader("Content-Type")).startsWith("application/json");
                out.add(body);
            }
        }
        return out;
    }

    /** The statuses delivered for a message, a repeat of the same change (at least once) counted once. */
    private static List<String> statuses(String messageId) {
        List<String> out = new ArrayList<>();
        for (JsonNode b : delivered(messageId)) {
            String s = b.path("status").asText();
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyStatusChangeIsPostedSignedAndInOrder() throws Exception {
        EVOLUTION.server().stubFor(FakeEvolution.sendTextTo("447700900601").atPriority(1).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"key\":{\"remoteJid\":\"447700900601@s.whatsapp.net\",\"fromMe\":true,"
                        + "\"id\":\"3EB0CCCC000000000601\"},\"status\":\"PENDING\"}")));
        String id = send("447700900601", "{\"booking\":\"B-17\",\"n\":2}");
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(id).contains("sent"));
        assertThat(Webhooks.post(APP.port(), Webhooks.deliveryUpdate(INSTANCE, "3EB0CCCC000000000601", "READ"))
                .statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(id).equals(List.of("queued", "sent", "read")));
        JsonNode sent = delivered(id).stream().filter(b -> b.path("status").asText().equals("sent")).findFirst().orElseThrow();
        assertThat(sent.path("instance").asText()).isEqualTo(INSTANCE);
        assertThat(sent.path("evolution_id").asText()).isEqualTo("3EB0CCCC000000000601");
        assertThat(sent.path("at").asText()).isNotEmpty();
        assertThat(sent.path("metadata").path("booking").asText()).isEqualTo("B-17");
        assertThat(sent.path("metadata").path("n").asInt()).isEqualTo(2);
        assertThat(sent.has("to")).isFalse();
        assertThat(sent.toString()).doesNotContain("Your results are ready");
    }

    @Test
    void aReceiverThatIsDownGetsEveryChangeInOrderOnceBackAndSendingGoesOn() {
        RECEIVER.stubFor(post(urlEqualTo(PATH)).atPriority(1).willReturn(aResponse().withStatus(503)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(send("44770090061" + i, null));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> java.util.stream.IntStream.range(0, 5)
                .allMatch(i -> EVOLUTION.sendsTo("44770090061" + i) == 1));
        // the receiver refused attempts meanwhile
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVER.getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == 503).count() >= 5);

        RECEIVER.removeStub(RECEIVER.getStubMappings().stream().filter(m -> m.getPriority() != null && m.getPriority() == 1)
                .findFirst().orElseThrow());

        await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream()
                .allMatch(id -> statuses(id).equals(List.of("queued", "sent"))));
        assertThat(metric("wa_status_callbacks_total", "outcome=\"failed\"")).isGreaterThanOrEqualTo(5);
        assertThat(metric("wa_status_callbacks_total", "outcome=\"delivered\"")).isGreaterThanOrEqualTo(10);
    }

    @Test
    void operatorsSeeScheduledMessagesAndTheCallbackBacklogInTheMetrics() {
        send("447700900620", null);
        String id = API.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"447700900621\",\"text\":\"x\","
                + "\"send_at\":\"" + java.time.Instant.now().plus(Duration.ofHours(2)) + "\"}").json().path("message_id").asText();

        await().atMost(Duration.ofSeconds(10)).until(() -> metric("wa_messages_scheduled", "") >= 1);
        assertThat(metric("wa_status_callbacks_backlog", "")).isGreaterThanOrEqualTo(0);
        API.delete("/api/messages/" + id);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("wa_messages_scheduled", "") == 0);
    }

    /** The value of a series of this instance on /observe/metrics (the line that also contains {@code label}). */
    private static double metric(String name, String label) {
        try {
            String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(APP.managementUrl("/observe/metrics"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("instance=\"" + INSTANCE + "\"")
                    && l.contains(label)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStatusChangeReachesTheReceiverWellWithinASecond() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(send("4477009207" + String.format("%02d", i), null));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> statuses(id).contains("sent")));

        List<Long> ms = new ArrayList<>();
        RECEIVER.getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() / 100 == 2).forEach(e -> {
            JsonNode body = FakeEvolution.json(e.getRequest().getBodyAsString());
            if (ids.contains(body.path("message_id").asText())) {
                ms.add(e.getRequest().getLoggedDate().getTime() - java.time.Instant.parse(body.path("at").asText()).toEpochMilli());
            }
        });
        java.util.Collections.sort(ms);
        long p50 = ms.get(ms.size() / 2);
        long p99 = ms.get(ms.size() * 99 / 100);
        System.out.printf("status change -> callback received, %d callbacks: p50 %d ms, p99 %d ms, max %d ms%n",
                ms.size(), p50, p99, ms.get(ms.size() - 1));
        assertThat(p99).isLessThan(1_000);
    }
}
