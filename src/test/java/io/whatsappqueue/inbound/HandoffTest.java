package io.whatsappqueue.inbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A patient asking for a person (DESIGN §10): by a button id, a list row id, or a whole message in each default
 * language, they get the acknowledgement, the chat is paused like a staff takeover (the next message gets no AI
 * answer), and staff are told on their WhatsApp number through the send queue (FakeEvolution receives it) and by a
 * webhook signed like the status callbacks; staff resume with the admin API and the bot answers again. A redelivered
 * hand-off notifies nobody twice. The whole app runs (WA_ROLE=all), so the notice really goes out.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandoffTest {
    private static final String INSTANCE = "clinic-handoff";
    private static final String STAFF = "447700900999";
    private static final String SECRET = "handoff-secret-42";
    private static final String ACK = "Thank you. A member of our team will reply to you here as soon as possible.";
    private static final String AI = "Thanks for your message, we will help you.";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of(
            "WA_ROLE", "all",
            "ADMIN_TOKEN", TestApp.ADMIN_TOKEN,
            "WA_TOKENS_PER_SECOND", "0",
            "WA_SEND_DELAY_MS", "0",
            "AI_TIMEOUT_MS", "15000",
            "WA_HANDOFF_NOTIFY_TO", "+" + STAFF,
            "WA_HANDOFF_WEBHOOK_SECRET", SECRET));

    static {
        env.app.with("WA_HANDOFF_WEBHOOK_URL", "http://127.0.0.1:" + env.wiremock.port() + "/staff/handoff");
    }

    @BeforeEach
    void peers() {
        env.stubEvolution();
        env.wiremock.stubFor(FakeEvolution.sendText().willReturn(FakeEvolution.created()));
        env.app.evolution().connectionState("open");
        env.wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/staff/handoff"))
                .willReturn(aResponse().withStatus(204)));
    }

    @Test
    void buttonAskingForAPersonPausesTheChatTellsStaffOnWhatsAppAndBySignedWebhookUntilResumed() {
        String patient = "447700900541";
        env.postText(patient, "Can I move my appointment?");
        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(patient).size() == 1);

        String handoff = post(button(patient, "talk_to_human", "Reception"));

        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(patient).size() == 2);
        assertThat(sentTo(patient)).containsExactly(AI, ACK);
        await().atMost(Duration.ofSeconds(20)).until(() -> staffNotices().size() == 1);
        String notice = staffNotices().get(0).path("text").asText();
        assertThat(notice).contains("+" + patient).contains("Patient: Can I move my appointment?")
                .contains("Bot: " + AI).contains("Patient: Reception");
        await().atMost(Duration.ofSeconds(20)).until(() -> webhookPosts().size() == 1);
        LoggedRequest hook = webhookPosts().get(0);
        assertThat(hook.getHeader("X-Signature")).isEqualTo("sha256=" + hmac(hook.getBody()));
        JsonNode event = InboundTestEnv.read(hook.getBodyAsString());
        assertThat(event.path("event").asText()).isEqualTo("handoff");
        assertThat(event.path("contact").asText()).isEqualTo(patient);
        assertThat(event.path("key_id").asText()).isEqualTo(handoff);

        int aiCalls = env.aiCalls();
        env.postText(patient, "Hello? What are your prices?");
        await().atMost(Duration.ofSeconds(20)).until(() -> env.inboundBacklog() == 0);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> sentTo(patient).size() == 2);
        assertThat(env.aiCalls()).as("a paused chat does not reach the AI").isEqualTo(aiCalls);

        resume(patient);
        env.postText(patient, "What are your prices?");
        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(patient).size() == 3);
        assertThat(sentTo(patient).get(2)).isEqualTo(AI);

        // the hand-off event delivered again (a crash before its acknowledgement): nothing is sent or posted twice
        redeliver(handoff);
        await().atMost(Duration.ofSeconds(20)).until(() -> env.inboundBacklog() == 0
                && env.redis.getBucket(Keys.chatPause(INSTANCE, Keys.chat(patient)), StringCodec.INSTANCE).isExists());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                staffNotices().size() == 1 && webhookPosts().size() == 1 && sentTo(patient).size() == 3);
        resume(patient);
    }

    @Test
    void listRowAskingForAPersonIsAHandoff() {
        String patient = "447700900542";
        post(listReply(patient, "handoff", "Speak to reception"));

        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(patient).size() == 1);
        assertThat(sentTo(patient)).containsExactly(ACK);
        assertThat(paused(patient)).isTrue();
    }

    @Test
    void wholeMessageKeywordInEachDefaultLanguageIsAHandoffButASentenceIsNot() {
        Map<String, String> requests = Map.of(
                "447700900543", "Talk to a person!",
                "447700900544", "Quiero hablar con una PERSONA",
                "447700900545", "falar com atendente 🙏",
                "447700900546", "Позовите человека.");
        requests.forEach(env::postText);
        env.postText("447700900547", "I don't want to talk to a human");

        requests.forEach((number, text) -> {
            await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(number).size() == 1);
            assertThat(sentTo(number)).as(text).containsExactly(ACK);
            assertThat(paused(number)).as(text).isTrue();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo("447700900547").size() == 1);
        assertThat(sentTo("447700900547")).containsExactly(AI);
        assertThat(paused("447700900547")).isFalse();
    }

    private static ObjectNode button(String number, String id, String text) {
        ObjectNode body = env.fixtureTree("13-buttons-response.json");
        address(body, number);
        ObjectNode reply = (ObjectNode) body.path("data").path("message").path("buttonsResponseMessage");
        reply.put("selectedButtonId", id).put("selectedDisplayText", text);
        return body;
    }

    private static ObjectNode listReply(String number, String rowId, String title) {
        ObjectNode body = env.fixtureTree("13-buttons-response.json");
        address(body, number);
        ObjectNode message = (ObjectNode) body.path("data").path("message");
        message.remove("buttonsResponseMessage");
        ObjectNode list = message.putObject("listResponseMessage");
        list.put("title", title).put("listType", "SINGLE_SELECT");
        list.putObject("singleSelectReply").put("selectedRowId", rowId);
        ((ObjectNode) body.path("data")).put("messageType", "listResponseMessage");
        return body;
    }

    private static void address(ObjectNode body, String number) {
        ObjectNode key = (ObjectNode) body.path("data").path("key");
        key.put("id", UUID.randomUUID().toString().replace("-", "").toUpperCase());
        key.put("remoteJid", number + "@s.whatsapp.net");
        key.remove("remoteJidAlt");
    }

    private static String post(ObjectNode body) {
        assertThat(env.postWebhook(InboundTestEnv.bytes(body)).statusCode()).isEqualTo(200);
        return body.path("data").path("key").path("id").asText();
    }

    /** The texts Evolution was asked to send to {@code number}, oldest first. */
    private static List<String> sentTo(String number) {
        return env.app.evolution().sentBodies().stream().filter(b -> b.path("number").asText().startsWith(number + "@"))
                .map(b -> b.path("text").asText()).toList();
    }

    private static List<JsonNode> staffNotices() {
        return env.app.evolution().sentBodies().stream().filter(b -> b.path("number").asText().startsWith(STAFF)).toList();
    }

    private static List<LoggedRequest> webhookPosts() {
        return env.wiremock.findAll(postRequestedFor(urlEqualTo("/staff/handoff")));
    }

    private static boolean paused(String number) {
        return env.redis.getBucket(Keys.chatPause(INSTANCE, Keys.chat(number)), StringCodec.INSTANCE).isExists();
    }

    private static void resume(String number) {
        assertThat(env.post("/admin/chats/" + number + "/resume?instance=" + INSTANCE, new byte[0],
                Map.of("Authorization", "Bearer " + TestApp.ADMIN_TOKEN)).statusCode()).isEqualTo(200);
    }

    /** The inbound event of {@code keyId} as the webhook stored it, added to the stream again. */
    private static void redeliver(String keyId) {
        String payload = "{\"instance\":\"" + INSTANCE + "\",\"key_id\":\"" + keyId + "\",\"reply_to\":\"447700900541@s.whatsapp.net\","
                + "\"contact_id\":\"447700900541@s.whatsapp.net\",\"text\":\"Reception\",\"choice_id\":\"talk_to_human\","
                + "\"received_at\":1761056400.5}";
        env.redis.<String, String>getStream(Keys.inboundStream(INSTANCE), StringCodec.INSTANCE)
                .add(StreamAddArgs.entry("payload", payload));
    }

    private static String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
