package io.whatsappqueue.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.OutboundMessage;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.send.OwnSends;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.whatsappqueue.inbound.InboundTestEnv.aiAnswer;
import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9.1: Evolution reports each message it sends for us back to the webhook ({@code fromMe}), and that echo
 * may arrive before or after the 201 that tells us its key.id. Whatever the order, and whichever event carries
 * it, our own send never reads as staff typing on the phone; a person typing still pauses the chat. The web and
 * the send route run together here against WireMock as Evolution, whose sendText answer is held back where a
 * test needs the echo first.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class OwnSendEchoTest {
    private static final int HELD_MS = 3000;
    private static final String INSTANCE = "acme-echo";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, overrides());
    private static final String SEND_TEXT = "/message/sendText/" + INSTANCE;

    @EndpointInject
    ProducerTemplate template;

    private static Map<String, String> overrides() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("WA_ROLE", "all");
        overrides.put("WA_SEND_DELAY_MS", "0");
        overrides.put("WA_TOKENS_PER_SECOND", "0");
        overrides.put("WA_MAX_REPLY_CHARS", "100");
        overrides.put("WA_HUMAN_TAKEOVER_PAUSE_S", "1800");
        return overrides;
    }


    @BeforeEach
    void resetPeers() {
        env.stubEvolution();
    }

    /** The sequence of ../shared/realworld: reply, its echo, then the 201, then the patient's next message. */
    @Test
    void echoOfOurReplyArrivingBeforeEvolutionsAnswerIsNotTakenForStaffAndTheNextMessageIsAnswered() {
        String number = "447700900170";
        String providerId = providerId();
        stubSendText(number, null, providerId, HELD_MS);
        env.stubAi(aiAnswer("Yes: our nurse gives travel vaccinations on weekdays."));

        assertEquals("accepted", status(env.postWebhook(realworld("echo-race-first-message.json", INSTANCE))));
        JsonNode send = awaitSendText(number, 1);
        assertFalse(isKnownAsOurs(providerId), "Evolution's 201 is still held back");

        // the echo: fromMe, the id the 201 will carry, our text
        assertEquals("ignored", status(env.postWebhook(bytes(echo("messages.upsert", number, providerId,
                send.path("text").asText())))));
        assertFalse(isPaused(number), "our own send is not staff typing");

        await().atMost(Duration.ofSeconds(10)).until(() -> isKnownAsOurs(providerId));
        env.stubAi(aiAnswer("Come in four to six weeks before you travel."));
        assertEquals("accepted", status(env.postWebhook(realworld("echo-race-second-message.json", INSTANCE))));
        awaitSendText(number, 2);
        assertFalse(isPaused(number));
    }

    @Test
    void echoArrivingAfterEvolutionsAnswerIsRecognisedByItsKeyId() {
        String number = "447700900171";
        String providerId = providerId();
        stubSendText(number, null, providerId, 0);

        env.postWebhook(bytes(env.textMessage(keyId(), number, "Can I bring my child to the appointment?")));
        JsonNode send = awaitSendText(number, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> isKnownAsOurs(providerId));

        env.postWebhook(bytes(echo("messages.upsert", number, providerId, send.path("text").asText())));
        assertFalse(isPaused(number));
        env.postWebhook(bytes(env.textMessage(keyId(), number, "And do you have parking?")));
        awaitSendText(number, 2);
    }

    @Test
    void sendMessageEventAndUpsertEchoOfOneSendAreBothOursInEitherOrderAroundTheAnswer() {
        String number = "447700900172";
        String providerId = providerId();
        stubSendText(number, null, providerId, HELD_MS);

        env.postWebhook(bytes(env.textMessage(keyId(), number, "Is the clinic open on Sunday?")));
        String text = awaitSendText(number, 1).path("text").asText();
        assertEquals("ignored", status(env.postWebhook(bytes(echo("send.message", number, providerId, text)))));
        assertFalse(isPaused(number), "send.message before the 201");
        env.postWebhook(bytes(echo("messages.upsert", number, providerId, text)));
        assertFalse(isPaused(number), "the upsert echo of the same send, also before the 201");

        await().atMost(Duration.ofSeconds(10)).until(() -> isKnownAsOurs(providerId));
        env.postWebhook(bytes(echo("send.message", number, providerId, text)));
        env.postWebhook(bytes(echo("messages.upsert", number, providerId, text)));
        assertFalse(isPaused(number), "and both again after it (Evolution retries its webhook)");
    }

    @Test
    void eachPartOfASplitReplyIsRecognisedByItsOwnEchoOnceAndStaffRepeatingOneStillPauses() {
        String number = "447700900173";
        String first = "Tetanus boosters are given by our nurse on weekday mornings, no need to fast.";
        String second = "Typhoid and hepatitis A: please book at least two weeks before you travel.";
        env.stubAi(aiAnswer(first + "\n\n" + second));
        String id1 = providerId();
        String id2 = providerId();
        stubSendText(number, "Tetanus", id1, HELD_MS);
        stubSendText(number, "Typhoid", id2, HELD_MS);

        env.postWebhook(bytes(env.textMessage(keyId(), number, "Which vaccines do I need for a trip?")));
        assertEquals(first, awaitSendText(number, 1).path("text").asText());
        env.postWebhook(bytes(echo("messages.upsert", number, id1, first)));
        assertEquals(second, awaitSendText(number, 2).path("text").asText());
        assertFalse(isKnownAsOurs(id2), "part 2's answer is still held back");
        env.postWebhook(bytes(echo("messages.upsert", number, id2, second)));
        assertFalse(isPaused(number), "one echo per part, each before its 201");

        await().atMost(Duration.ofSeconds(10)).until(() -> isKnownAsOurs(id2));
        // a second message with part 1's text but another id: its one expected echo was used, so a person sent it
        env.postWebhook(bytes(echo("messages.upsert", number, keyId(), first)));
        assertTrue(isPaused(number));
    }

    @Test
    void staffTypingWhileOurReplyIsInFlightStillPausesTheChat() {
        String number = "447700900174";
        stubSendText(number, null, providerId(), HELD_MS);

        env.postWebhook(bytes(env.textMessage(keyId(), number, "Do I need to bring my passport?")));
        awaitSendText(number, 1);
        env.postWebhook(bytes(echo("messages.upsert", number, "3A" + keyId().substring(0, 18),
                "Hi, this is Sam at the front desk, I will call you in 5 minutes.")));
        assertTrue(isPaused(number), "staff typing on the phone pauses the bot");
    }

    @Test
    void twoSendsWithTheSameTextToOneChatAbsorbTwoEchoesAndNoMore() {
        OwnSends ownSends = template.getCamelContext().getRegistry().lookupByNameAndType("ownSends", OwnSends.class);
        String contact = "447700900175@s.whatsapp.net";
        ownSends.expect(INSTANCE, message("same-1", contact, "See you tomorrow!"));
        ownSends.expect(INSTANCE, message("same-2", contact, "See you tomorrow!"));
        ownSends.expect(INSTANCE, message("same-2", contact, "See you tomorrow!"));   // a retried POST

        assertTrue(ownSends.isOurs(INSTANCE, contact, "3EB0AAAA", "See you tomorrow!"));
        assertTrue(ownSends.isOurs(INSTANCE, "+44 7700 900175", "3EB0BBBB", "See you tomorrow! "));
        assertFalse(ownSends.isOurs(INSTANCE, contact, "3EB0CCCC", "See you tomorrow!"));
        assertTrue(ownSends.isOurs(INSTANCE, contact, "3EB0AAAA", null), "a recognised echo's id stays ours");
        assertFalse(ownSends.isOurs(INSTANCE, "447700900176", "3EB0DDDD", "See you tomorrow!"), "per chat");
    }

    private static void stubSendText(String number, String textContains, String providerId, int delayMs) {
        var mapping = WireMock.post(urlPathEqualTo(SEND_TEXT))
                .withRequestBody(matchingJsonPath("$.number", WireMock.containing(number)));
        if (textContains != null) {
            mapping = mapping.withRequestBody(matchingJsonPath("$.text", WireMock.containing(textContains)));
        }
        ObjectNode created = InboundTestEnv.JSON.createObjectNode();
        created.putObject("key").put("remoteJid", number + "@s.whatsapp.net").put("fromMe", true).put("id", providerId);
        created.put("status", "PENDING");
        env.wiremock.stubFor(mapping.willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(created.toString()).withFixedDelay(delayMs)));
    }

    /** Waits until Evolution received {@code count} sendText calls for {@code number}; returns the last. */
    private static JsonNode awaitSendText(String number, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sendTexts(number).size() >= count);
        return sendTexts(number).get(count - 1);
    }

    private static List<JsonNode> sendTexts(String number) {
        return env.wiremock.findAll(postRequestedFor(urlPathEqualTo(SEND_TEXT))).stream()
                .sorted(java.util.Comparator.comparing(com.github.tomakehurst.wiremock.verification.LoggedRequest::getLoggedDate))
                .map(r -> read(r.getBodyAsString()))
                .filter(b -> b.path("number").asText().startsWith(number))
                .toList();
    }

    /** A fromMe message in the chat with {@code number}, shaped like the real-world echo. */
    private static ObjectNode echo(String event, String number, String keyId, String text) {
        ObjectNode body = (ObjectNode) read(new String(realworld("echo-race-first-message.json", INSTANCE), StandardCharsets.UTF_8));
        body.put("event", event);
        ObjectNode data = (ObjectNode) body.path("data");
        ObjectNode key = (ObjectNode) data.path("key");
        key.put("remoteJid", number + "@s.whatsapp.net");
        key.put("fromMe", true);
        key.put("id", keyId);
        data.put("pushName", "Acme Clinic");
        data.put("status", "send.message".equals(event) ? "PENDING" : "SERVER_ACK");
        data.put("source", "web");
        ObjectNode message = data.putObject("message");
        message.put("conversation", text);
        return body;
    }

    private static boolean isPaused(String number) {
        return env.redis.getBucket(Keys.chatPause(INSTANCE, Keys.chat(number)), StringCodec.INSTANCE).isExists();
    }

    private static boolean isKnownAsOurs(String providerId) {
        return env.redis.getBucket(Keys.ours(INSTANCE, providerId), StringCodec.INSTANCE).isExists();
    }

    private static String status(java.net.http.HttpResponse<String> res) {
        assertEquals(200, res.statusCode(), res.body());
        return read(res.body()).path("status").asText();
    }

    private static OutboundMessage message(String id, String to, String text) {
        return OutboundMessages.parse(OutboundMessages.newPayload(id, to, text, null), "1-0");
    }

    /** A ../shared/realworld input (copied to test resources), addressed to {@code instance}. */
    static byte[] realworld(String name, String instance) {
        try (InputStream in = OwnSendEchoTest.class.getResourceAsStream("/fixtures/realworld/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"acme-support\"", "\"" + instance + "\"").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String providerId() {
        return "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
    }

    private static String keyId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }
}
