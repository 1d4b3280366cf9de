package io.whatsappqueue.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.admin.AdminHttp;
import io.whatsappqueue.admin.ChatControls;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.inbound.ReplyIds;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.Webhooks;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /api/messages/{id} through a message's life: scheduled, queued, sent with Evolution's id, delivered and read
 * from Evolution's messages.update (also when the update overtakes the send's answer), failed with the dead
 * letter's reason, skipped for an opted-out contact, cancelled; for API messages and AI replies alike.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageStatusTest {
    private static final String INSTANCE = "clinic-api-status";
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of("WA_ROLE", "all", "API_TOKEN", ApiSendTest.TOKEN,
            "WA_MAX_DELIVERIES", "2"));
    private static final FakeEvolution EVOLUTION = APP.evolution();
    private static final AdminHttp API = AdminHttp.as(ApiSendTest.TOKEN);

    @BeanInject
    ChatControls chatControls;

    private static String send(String to, String extra) {
        AdminHttp.Answer a = API.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"" + to
                + "\",\"text\":\"Your results are ready\"" + (extra == null ? "" : "," + extra) + "}");
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        return a.json().path("message_id").asText();
    }

    private static JsonNode status(String id) {
        AdminHttp.Answer a = API.get("/api/messages/" + id);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json();
    }

    /** Evolution answers sends to {@code number} with key.id {@code evolutionId}, after {@code delayMs}. */
    private static void evolutionAnswers(String number, String evolutionId, int delayMs) {
        EVOLUTION.server().stubFor(FakeEvolution.sendTextTo(number).atPriority(1).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withFixedDelay(delayMs)
                .withBody("{\"key\":{\"remoteJid\":\"" + number + "@s.whatsapp.net\",\"fromMe\":true,\"id\":\""
                        + evolutionId + "\"},\"status\":\"PENDING\"}")));
    }

    private static void webhook(String body) throws Exception {
        assertThat(Webhooks.post(APP.port(), body).statusCode()).isEqualTo(200);
    }

    @Test
    void aSentMessageShowsEvolutionsIdThenDeliveredAndReadFromMessagesUpdate() throws Exception {
        evolutionAnswers("447700900501", "3EB0AAAA000000000501", 0);
        String id = send("+447700900501", null);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id).path("status").asText().equals("sent"));
        JsonNode sent = status(id);
        assertThat(sent.path("evolution_id").asText()).isEqualTo("3EB0AAAA000000000501");
        assertThat(sent.path("instance").asText()).isEqualTo(INSTANCE);
        assertThat(sent.path("to").asText()).isEqualTo("4477****0501");
        assertThat(sent.path("attempts").asInt()).isEqualTo(1);
        assertThat(Instant.parse(sent.path("sent_at").asText())).isAfterOrEqualTo(Instant.parse(sent.path("created_at").asText()));
        assertThat(sent.path("delivered_at").isNull()).isTrue();
        assertThat(sent.path("send_at").isNull()).isTrue();
        assertThat(sent.path("failed_reason").isNull()).isTrue();
        assertThat(API.get("/api/messages/" + id + "?reveal=true").json().path("to").asText()).isEqualTo("447700900501");

        webhook(Webhooks.deliveryUpdate(INSTANCE, "3EB0AAAA000000000501", "DELIVERY_ACK"));
        assertThat(status(id).path("status").asText()).isEqualTo("delivered");
        assertThat(status(id).path("delivered_at").asText()).isNotEmpty();

        webhook(Webhooks.deliveryUpdate(INSTANCE, "3EB0AAAA000000000501", "READ"));
        webhook(Webhooks.deliveryUpdate(INSTANCE, "3EB0AAAA000000000501", "DELIVERY_ACK"));
        JsonNode read = status(id);
        assertThat(read.path("status").asText()).isEqualTo("read");
        assertThat(read.path("read_at").asText()).isNotEmpty();
    }

    @Test
    void anUpdateThatArrivesBeforeTheSendRecordedItsIdIsAppliedOnceItIs() throws Exception {
        // Evolution delivers (and reports it) before its answer to our POST arrives
        evolutionAnswers("447700900502", "3EB0AAAA000000000502", 1_500);
        String id = send("447700900502", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> EVOLUTION.sendsTo("447700900502") == 1);

        webhook(Webhooks.deliveryUpdate(INSTANCE, "3EB0AAAA000000000502", "DELIVERY_ACK"));
        assertThat(status(id).path("status").asText()).isEqualTo("queued");

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id).path("status").asText().equals("delivered"));
        assertThat(status(id).path("evolution_id").asText()).isEqualTo("3EB0AAAA000000000502");
        assertThat(status(id).path("sent_at").asText()).isNotEmpty();
    }

    @Test
    void aMessageEvolutionRefusesIsFailedWithTheDeadLettersReason() {
        EVOLUTION.server().stubFor(FakeEvolution.sendTextTo("447700900503").atPriority(1).willReturn(FakeEvolution.error(400,
                "[{\"jid\":\"447700900503@s.whatsapp.net\",\"exists\":false,\"number\":\"447700900503\"}]")));
        String id = send("447700900503", null);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id).path("status").asText().equals("failed"));
        assertThat(status(id).path("failed_reason").asText()).isEqualTo("rejected_by_evolution: number_not_on_whatsapp");
    }

    @Test
    void aMessageToAContactWhoOptedOutIsSkippedWithTheReason() throws Exception {
        webhook(Webhooks.textMessage(INSTANCE, "STOP-504", "447700900504", "STOP"));
        await().atMost(Duration.ofSeconds(10)).until(() -> chatControls.isOptedOut(INSTANCE, "447700900504"));

        String id = send("447700900504", null);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id).path("status").asText().equals("skipped"));
        assertThat(status(id).path("failed_reason").asText()).isEqualTo("opted_out");
        assertThat(EVOLUTION.sendsTo("447700900504")).isZero();
    }

    @Test
    void aScheduledMessageShowsScheduledWithItsSendAtThenCancelled() {
        Instant sendAt = Instant.now().plus(Duration.ofHours(1));
        String id = send("447700900505", "\"send_at\":\"" + sendAt + "\"");

        JsonNode scheduled = status(id);
        assertThat(scheduled.path("status").asText()).isEqualTo("scheduled");
        assertThat(Instant.parse(scheduled.path("send_at").asText())).isEqualTo(sendAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(scheduled.path("attempts").asInt()).isZero();

        API.delete("/api/messages/" + id);
        assertThat(status(id).path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void anAiReplyHasAStatusToo() throws Exception {
        webhook(Webhooks.textMessage(INSTANCE, "HELLO-506", "447700900506", "What are your opening hours?"));
        String replyId = ReplyIds.of(INSTANCE, "HELLO-506", 1);

        await().atMost(Duration.ofSeconds(15)).until(() -> API.get("/api/messages/" + replyId).status() == 200
                && status(replyId).path("status").asText().equals("sent"));
        assertThat(status(replyId).path("evolution_id").asText()).isNotEmpty();
        assertThat(status(replyId).path("to").asText()).doesNotContain("447700900506");
    }

    @Test
    void anUnknownMessageIs404() {
        AdminHttp.Answer a = API.get("/api/messages/api-nothing-here");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().path("error").asText()).isEqualTo("unknown_message");
    }
}
