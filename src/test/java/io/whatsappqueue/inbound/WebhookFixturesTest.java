package io.whatsappqueue.inbound;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Evolution fixture through the real webhook route over HTTP (INDEX.md): the HTTP answer, and for the
 * queued ones the reply target in the send stream and the extracted text as it reached the AI.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class WebhookFixturesTest {
    private static final String INSTANCE = "acme-fixtures";
    @RegisterExtension
    // hand-off off: fixture 15 is a "Talk to a person" button, which would pause the chat the other fixtures share;
    // HandoffTest covers what it does
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of("WA_HANDOFF_KEYWORDS", ""));

    /** A fixture that creates work: what must reach the AI and where the answer goes. */
    private record Queued(String file, String text, String replyTo) {
    }

    private static final String PHONE_A = "447700900123@s.whatsapp.net";
    private static final String PHONE_B = "12025550143@s.whatsapp.net";

    private static final List<Queued> QUEUED = List.of(
            new Queued("01-text-conversation.json", "Hi! What are your opening hours on Saturday?", PHONE_A),
            new Queued("02-text-extended.json", "Do you deliver to https://maps.example.org/pin/8812 ? Thanks", PHONE_B),
            new Queued("03-image-with-caption.json", "Is this dish vegetarian?", PHONE_A),
            new Queued("13-buttons-response.json", "Opening hours", PHONE_A),
            new Queued("15-template-button-reply.json", "Talk to a person", PHONE_A),
            new Queued("19-lid-sender.json", "Hello again, is the kitchen still open?", PHONE_A),
            new Queued("21-timestamp-as-string.json", "Is parking available nearby?", PHONE_B),
            new Queued("23-emoji-text.json", conversation("23-emoji-text.json"), PHONE_A),
            new Queued("25-cjk-text.json", conversation("25-cjk-text.json"), PHONE_A),
            new Queued("26-long-text-4000.json", conversation("26-long-text-4000.json"), PHONE_B),
            new Queued("27-quoted-reply.json", "20:00 works, thank you!", PHONE_A));

    /** Acknowledged with 200 and nothing queued, with the reason given. */
    private static final Map<String, String> IGNORED = Map.ofEntries(
            Map.entry("05-audio-voice-note.json", "audio"),
            Map.entry("06-sticker.json", "sticker"),
            Map.entry("07-document.json", "no_text"),
            Map.entry("08-reaction.json", "reaction"),
            Map.entry("09-protocol-revoke.json", "event_not_handled"),
            Map.entry("10-edited-message.json", "event_not_handled"),
            Map.entry("12-viewonce-wrapped-image.json", "view_once"),
            Map.entry("17-group-message.json", "group"),
            Map.entry("18-status-broadcast.json", "status_broadcast"),
            Map.entry("30-qrcode-updated.json", "event_not_handled"),
            Map.entry("31-messages-update-delivery-ack.json", "event_not_handled"),
            Map.entry("32-send-message-echo.json", "event_not_handled"));

    @Test
    void everyFixtureGetsItsAnswerAndEachQueuedOneExactlyOneReplyToTheRightTarget() {
        for (Queued q : QUEUED) {
            HttpResponse<String> res = env.postWebhook(env.fixture(q.file()));
            assertEquals(200, res.statusCode(), q.file() + " " + res.body());
            assertEquals("accepted", read(res.body()).path("status").asText(), q.file());
        }
        IGNORED.forEach((file, reason) -> {
            HttpResponse<String> res = env.postWebhook(env.fixture(file));
            assertEquals(200, res.statusCode(), file + " " + res.body());
            JsonNode answer = read(res.body());
            assertEquals("ignored", answer.path("status").asText(), file);
            assertEquals(reason, answer.path("reason").asText(), file);
        });

        // 33 is 01 redelivered (only date_time differs): acknowledged, nothing new
        HttpResponse<String> duplicate = env.postWebhook(env.fixture("33-duplicate-of-01.json"));
        assertEquals(200, duplicate.statusCode());
        assertEquals("{\"status\":\"duplicate\"}", duplicate.body());

        assertError(env.postWebhook(env.fixture("34-unknown-instance.json")), 422, "unknown_instance");
        assertError(env.postWebhook(env.fixture("36-missing-data.json")), 400, "invalid_event");
        assertError(env.postWebhook(env.fixture("38-invalid-json.txt")), 400, "invalid_json");

        await().atMost(Duration.ofSeconds(60)).until(() -> env.sendQueue().size() >= QUEUED.size());
        for (Queued q : QUEUED) {
            String keyId = env.fixtureTree(q.file()).path("data").path("key").path("id").asText();
            List<JsonNode> replies = env.repliesTo(keyId);
            assertEquals(1, replies.size(), q.file() + " replies");
            JsonNode reply = replies.get(0);
            assertEquals(q.replyTo(), reply.path("to").asText(), q.file() + " reply target");
            assertEquals("Thanks for your message, we will help you.", reply.path("text").asText(), q.file());
            assertEquals(1, reply.path("metadata").path("part").asInt(), q.file());
            assertEquals(1, reply.path("metadata").path("parts").asInt(), q.file());
            assertTrue(reply.path("metadata").path("received_at").asDouble() > 1.7e9, q.file() + " received_at");
            assertTrue(env.aiUserMessages().stream().anyMatch(m -> m.contains(q.text())),
                    q.file() + ": the AI never got the extracted text");
        }
        // what the model cannot see is said in words next to the text: the quoted message, the photo
        String quoted = aiMessageContaining("20:00 works, thank you!");
        assertTrue(quoted.contains("We have a table at 20:00 or 21:00"), quoted);
        assertTrue(aiMessageContaining("Is this dish vegetarian?").contains("image"));
        assertEquals(QUEUED.size(), env.sendQueue().size(), "nothing queued for ignored, rejected or duplicate events");
        assertEquals(QUEUED.size(), env.aiCalls(), "one AI call per queued message");
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0);
    }

    @Test
    void connectionUpdatesOpenAndCloseTheInstanceSendGate() {
        HttpResponse<String> open = env.postWebhook(env.fixture("28-connection-update-open.json"));
        assertEquals(200, open.statusCode());
        assertEquals("ignored", read(open.body()).path("status").asText());
        assertEquals("open", connection());
        HttpResponse<String> close = env.postWebhook(env.fixture("29-connection-update-close.json"));
        assertEquals(200, close.statusCode());
        assertEquals("close", connection());
        env.postWebhook(env.fixture("28-connection-update-open.json"));
        assertEquals("open", connection());
    }

    private static String aiMessageContaining(String text) {
        return env.aiUserMessages().stream().filter(m -> m.contains(text)).findFirst().orElseThrow();
    }

    private static String connection() {
        return env.redis.<String>getBucket("wa:" + INSTANCE + ":connection", StringCodec.INSTANCE).get();
    }

    private static void assertError(HttpResponse<String> res, int status, String code) {
        assertEquals(status, res.statusCode(), res.body());
        assertEquals("application/json", res.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = read(res.body());
        assertEquals(code, body.path("error").asText(), res.body());
        assertTrue(body.path("message").asText().length() > 10, res.body());
    }

    private static String conversation(String file) {
        return env.fixtureTree(file).path("data").path("message").path("conversation").asText();
    }
}
