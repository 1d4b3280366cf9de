package io.whatsappqueue.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.admin.AdminHttp;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /api/messages as a clinic's booking system uses it: what it answers, and what Evolution then receives.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiSendTest {
    static final String TOKEN = "api-token-for-tests";
    private static final String INSTANCE = "clinic-api-send";
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of("WA_ROLE", "all", "API_TOKEN", TOKEN));
    private static final FakeEvolution EVOLUTION = APP.evolution();
    private static final AdminHttp API = AdminHttp.as(TOKEN);

    static String message(String to, String text, String extra) {
        return "{\"instance\":\"" + INSTANCE + "\",\"to\":\"" + to + "\",\"text\":\"" + text + "\""
                + (extra == null ? "" : "," + extra) + "}";
    }

    @Test
    void aMessageIsAcceptedAs202QueuedAndEvolutionReceivesIt() {
        AdminHttp.Answer a = API.post("/api/messages", message("+447700900301", "Your results are ready", null));

        assertThat(a.status()).isEqualTo(202);
        assertThat(a.json().path("status").asText()).isEqualTo("queued");
        assertThat(a.json().path("message_id").asText()).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900301") == 1);
        JsonNode sent = EVOLUTION.sentBodies().stream()
                .filter(b -> b.path("number").asText().equals("447700900301")).findFirst().orElseThrow();
        assertThat(sent.path("text").asText()).isEqualTo("Your results are ready");
    }

    @Test
    void aJidRecipientIsSentAsGiven() {
        assertThat(API.post("/api/messages", message("447700900302@s.whatsapp.net", "Reminder", null)).status())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900302") == 1);
    }

    @Test
    void theSameIdempotencyKeyAnswers200WithTheFirstMessageAndSendsOnce() {
        String body = message("447700900303", "Appointment confirmed", "\"idempotency_key\":\"booking-77\"");
        AdminHttp.Answer first = API.post("/api/messages", body);
        AdminHttp.Answer again = API.post("/api/messages", body);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("message_id").asText()).isEqualTo(first.json().path("message_id").asText());
        assertThat(again.json().path("status").asText()).isIn("queued", "sent");
        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900303") == 1);
        AdminHttp.Answer later = API.post("/api/messages", body);
        assertThat(later.status()).isEqualTo(200);
        assertThat(EVOLUTION.sendsTo("447700900303")).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIs409AndQueuesNothing() {
        API.post("/api/messages", message("447700900304", "First", "\"idempotency_key\":\"booking-78\""));
        AdminHttp.Answer other = API.post("/api/messages", message("447700900304", "Second",
                "\"idempotency_key\":\"booking-78\""));

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().path("error").asText()).isEqualTo("idempotency_conflict");
        assertThat(other.json().path("message").asText()).contains("idempotency_key");
        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900304") == 1);
        assertThat(EVOLUTION.sentBodies().stream().filter(b -> b.path("number").asText().equals("447700900304"))
                .map(b -> b.path("text").asText())).containsExactly("First");
    }

    @Test
    void badRequestsAreAnsweredWithTheFieldNamedAndNothingIsSent() {
        assertRefused(API.post("/api/messages", "not json"), 400, "invalid_body", "JSON");
        assertRefused(API.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"447700900305\"}"),
                400, "missing_field", "'text'");
        assertRefused(API.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":447700900305,\"text\":\"x\"}"),
                400, "invalid_field", "'to'");
        assertRefused(API.post("/api/messages", message("447700900305", "   ", null)), 422, "invalid_text", "'text'");
        assertRefused(API.post("/api/messages", message("12345", "hi", null)), 422, "invalid_to", "'to'");
        assertRefused(API.post("/api/messages", message("44 7700 900305", "hi", null)), 422, "invalid_to", "'to'");
        assertRefused(API.post("/api/messages", message("447700900305", "hi", "\"send_at\":\"tomorrow\"")),
                400, "invalid_send_at", "'send_at'");
        long farAhead = Instant.now().plus(Duration.ofDays(31)).getEpochSecond();
        assertRefused(API.post("/api/messages", message("447700900305", "hi", "\"send_at\":" + farAhead)),
                422, "send_at_too_far", "'send_at'");
        assertRefused(API.post("/api/messages", message("447700900305", "hi", "\"metadata\":[1]")),
                400, "invalid_metadata", "'metadata'");
        assertRefused(API.post("/api/messages", message("447700900305", "hi", "\"colour\":\"red\"")),
                400, "unknown_field", "'colour'");
        assertRefused(API.post("/api/messages", "{\"instance\":\"nowhere\",\"to\":\"447700900305\",\"text\":\"hi\"}"),
                422, "unknown_instance", "'instance'");
        assertRefused(API.post("/api/messages", "{\"instance\":\"bad name!\",\"to\":\"447700900305\",\"text\":\"hi\"}"),
                422, "invalid_instance", "'instance'");
        assertThat(EVOLUTION.sendsTo("447700900305")).isZero();
    }

    @Test
    void aSendAtInThePastMeansNow() {
        AdminHttp.Answer a = API.post("/api/messages", message("447700900306", "Now please",
                "\"send_at\":\"2020-01-01T09:00:00+01:00\""));

        assertThat(a.status()).isEqualTo(202);
        assertThat(a.json().path("status").asText()).isEqualTo("queued");
        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900306") == 1);
    }

    @Test
    void aWrongOrMissingTokenIs401() {
        assertRefused(AdminHttp.as("not-the-token").post("/api/messages", message("447700900307", "hi", null)),
                401, "unauthorized", "API_TOKEN");
        assertRefused(AdminHttp.as(null).get("/api/messages/whatever"), 401, "unauthorized", "API_TOKEN");
        assertThat(EVOLUTION.sendsTo("447700900307")).isZero();
    }

    @Test
    void unknownApiPathsAndMethodsAreAnsweredInJson() {
        assertRefused(API.get("/api/messagez"), 404, "not_found", "/openapi.json");
        AdminHttp.Answer put = API.send("PUT", "/api/messages", message("447700900308", "hi", null));
        assertRefused(put, 405, "method_not_allowed", "POST");
        assertThat(EVOLUTION.sendsTo("447700900308")).isZero();
    }

    @Test
    void aBodyNotSentAsJsonIs415NamingContentType() throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + APP.port() + "/api/messages"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(message("447700900309", "hi", null))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
        assertThat(FakeEvolution.json(r.body()).path("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(FakeEvolution.json(r.body()).path("message").asText()).contains("Content-Type: application/json");
        assertThat(EVOLUTION.sendsTo("447700900309")).isZero();
    }

    static void assertRefused(AdminHttp.Answer a, int status, String error, String named) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.json().path("error").asText()).as(a.body()).isEqualTo(error);
        assertThat(a.json().path("message").asText()).as(a.body()).contains(named);
    }
}
