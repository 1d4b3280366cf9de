package io.whatsappqueue.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static io.whatsappqueue.api.ApiSendTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
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
 * A clinic system's text longer than WA_MAX_REPLY_CHARS (100 here) is sent as ordered parts, cut like AI replies,
 * and reported as one message: sent once every part is, failed when a part is dead-lettered.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiLongTextTest {
    private static final String INSTANCE = "clinic-api-long";
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of("WA_ROLE", "all", "API_TOKEN", ApiSendTest.TOKEN,
            "WA_MAX_REPLY_CHARS", "100", "WA_MAX_DELIVERIES", "2"));
    private static final FakeEvolution EVOLUTION = APP.evolution();
    private static final AdminHttp API = AdminHttp.as(ApiSendTest.TOKEN);
    /** Five sentences of 60-odd chars: two do not fit in 100, so each is one part. */
    private static final List<String> SENTENCES = List.of(
            "Your blood test results from Monday are ready to collect now.",
            "Please bring your appointment card and a photo identity card.",
            "The front desk is open from eight in the morning until six pm.",
            "If you cannot come this week, reply here and we will arrange it.",
            "Thank you for choosing our clinic, we look forward to seeing you.");

    private static String post(String to, String text) {
        AdminHttp.Answer a = API.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"" + to
                + "\",\"text\":\"" + text + "\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        assertThat(a.json().path("status").asText()).isEqualTo("queued");
        return a.json().path("message_id").asText();
    }

    private static JsonNode status(String id) {
        return API.get("/api/messages/" + id).json();
    }

    private static List<String> textsSentTo(String number) {
        return EVOLUTION.sentBodies().stream().filter(b -> b.path("number").asText().equals(number))
                .map(b -> b.path("text").asText()).toList();
    }

    @Test
    void aLongTextIsSentAsOrderedPartsAndIsSentOnceEveryPartIs() {
        // the last part takes Evolution 2 s: until it is answered the message is not sent
        EVOLUTION.server().stubFor(FakeEvolution.sendTextTo("447700900601").withRequestBody(containing("Thank you"))
                .atPriority(1).willReturn(aResponse().withStatus(201).withFixedDelay(2000)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"key\":{\"remoteJid\":\"447700900601@s.whatsapp.net\",\"fromMe\":true,"
                                + "\"id\":\"3EB0LASTPART00000601\"},\"status\":\"PENDING\"}")));
        String id = post("447700900601", String.join(" ", SENTENCES));

        await().atMost(Duration.ofSeconds(15)).until(() -> textsSentTo("447700900601").size() >= SENTENCES.size() - 1);
        assertThat(status(id).path("status").asText()).isEqualTo("queued");
        await().atMost(Duration.ofSeconds(15)).until(() -> textsSentTo("447700900601").size() == SENTENCES.size());
        assertThat(textsSentTo("447700900601")).containsExactlyElementsOf(SENTENCES);
        await().atMost(Duration.ofSeconds(5)).until(() -> status(id).path("status").asText().equals("sent"));
        JsonNode s = status(id);
        assertThat(s.path("evolution_id").asText()).isEqualTo("3EB0LASTPART00000601");
        assertThat(s.path("attempts").asInt()).isEqualTo(SENTENCES.size());
    }

    @Test
    void aLongTextWithAPartEvolutionRefusesIsFailedAndStaysFailedWhileTheOtherPartsLeave() {
        EVOLUTION.server().stubFor(FakeEvolution.sendTextTo("447700900602").withRequestBody(containing("photo identity"))
                .atPriority(1).willReturn(FakeEvolution.error(400, "\"Text refused\"")));
        String id = post("447700900602", String.join(" ", SENTENCES));

        await().atMost(Duration.ofSeconds(15)).until(() -> textsSentTo("447700900602").size() == SENTENCES.size());
        await().atMost(Duration.ofSeconds(5)).until(() -> status(id).path("status").asText().equals("failed"));
        assertThat(status(id).path("failed_reason").asText()).startsWith("rejected_by_evolution");
        // the parts after the refused one left too (as an AI reply's would); the message is still reported failed
        JsonNode after = status(id);
        assertThat(after.path("status").asText()).isEqualTo("failed");
        assertThat(after.path("sent_at").isNull()).isTrue();
    }

    @Test
    void aTextLongerThanWhatsAppTakesIs422NamingTheLimit() {
        String huge = "a ".repeat(33_000);
        assertRefused(API.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"447700900603\",\"text\":\""
                + huge + "\"}"), 422, "text_too_long", "65536");
        assertThat(EVOLUTION.sendsTo("447700900603")).isZero();
    }
}
