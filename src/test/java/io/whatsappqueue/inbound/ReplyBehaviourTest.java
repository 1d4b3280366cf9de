package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.whatsappqueue.inbound.InboundTestEnv.aiAnswer;
import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reply route: AI timeout and open circuit answer with the fallback, long replies are split, greetings skip
 * the AI, the chat's memory reaches the AI, paused chats stay silent, a redelivered event is answered once.
 * Each test gets a fresh Camel context (and so a closed circuit); Redis and WireMock are shared.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class ReplyBehaviourTest {
    private static final String FALLBACK = "Sorry, our assistant is busy. Reception will answer you shortly.";
    private static final String INSTANCE = "acme-reply";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of(
                "AI_TIMEOUT_MS", "1000",
                "AI_CIRCUIT_MIN_CALLS", "2",
                "AI_CIRCUIT_FAILURE_RATE", "50",
                "AI_CIRCUIT_OPEN_S", "60",
                "WA_AI_FALLBACK_TEXT", FALLBACK,
                "WA_MAX_REPLY_CHARS", "4000",
                "WA_HISTORY_TURNS", "2"));

    @BeforeEach
    void resetPeers() {
        env.stubEvolution();
    }

    @Test
    void aiTimeoutQueuesTheFallbackReply() {
        env.stubAi(aiAnswer("too late").withFixedDelay(3000));
        String keyId = post("447700900301", "Can I get a flu jab this week?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        assertEquals(FALLBACK, env.repliesTo(keyId).get(0).path("text").asText());
    }

    @Test
    void openCircuitAnswersWithTheFallbackWithoutCallingTheAi() {
        env.stubAi(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"overloaded\"}}"));
        String first = post("447700900302", "Do you have appointments tomorrow?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(first).size() == 1);
        String second = post("447700900303", "What does a blood test cost?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(second).size() == 1);
        int callsWhenOpened = env.aiCalls();
        assertEquals(2, callsWhenOpened);

        env.stubAi(aiAnswer("The AI is back"));
        String third = post("447700900304", "Is there parking?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(third).size() == 1);
        assertEquals(FALLBACK, env.repliesTo(third).get(0).path("text").asText());
        assertEquals(callsWhenOpened, env.aiCalls(), "an open circuit does not call the AI");
        assertEquals(FALLBACK, env.repliesTo(first).get(0).path("text").asText());
    }

    @Test
    void replyLongerThanTheLimitIsQueuedAsOrderedPartsWithDerivedIds() {
        String paragraph = "Our clinic offers many services. ".repeat(60).strip();   // ~2000 chars
        String longReply = String.join("\n\n", paragraph, paragraph, paragraph, paragraph, paragraph);
        env.stubAi(aiAnswer(longReply));
        String keyId = post("447700900305", "Tell me everything about the clinic");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() >= 3);
        List<JsonNode> parts = env.repliesTo(keyId);
        assertEquals(3, parts.size());
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            assertTrue(part.path("text").asText().length() <= 4000);
            assertEquals(i + 1, part.path("metadata").path("part").asInt());
            assertEquals(3, part.path("metadata").path("parts").asInt());
            assertEquals(ReplyIds.of(INSTANCE, keyId, i + 1), part.path("message_id").asText());
            assertEquals("447700900305@s.whatsapp.net", part.path("to").asText());
            joined.append(joined.length() == 0 ? "" : "\n\n").append(part.path("text").asText());
        }
        assertEquals(longReply, joined.toString());
        assertNotEquals(parts.get(0).path("message_id"), parts.get(1).path("message_id"));
    }

    @Test
    void plainGreetingIsAnsweredFromTheKnowledgeFileWithoutTheAi() {
        String keyId = post("447700900306", "Good morning!");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        assertTrue(env.repliesTo(keyId).get(0).path("text").asText().contains("Riverside Family Clinic"));
        assertEquals(0, env.aiCalls());
    }

    @Test
    void earlierTurnsOfTheChatAreGivenToTheAi() {
        env.stubAi(aiAnswer("We are open 08:00-18:30 on weekdays."));
        String first = post("447700900307", "When are you open on Monday?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(first).size() == 1);
        String second = post("447700900307", "And on Thursday?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(second).size() == 1);
        JsonNode messages = env.aiRequests().get(1).path("messages");
        assertEquals("system", messages.get(0).path("role").asText());
        assertTrue(messages.get(0).path("content").asText().contains("Riverside Family Clinic"), "system prompt from the knowledge file");
        assertEquals("When are you open on Monday?", messages.get(1).path("content").asText());
        assertEquals("assistant", messages.get(2).path("role").asText());
        assertEquals("We are open 08:00-18:30 on weekdays.", messages.get(2).path("content").asText());
        assertEquals("And on Thursday?", messages.get(3).path("content").asText());
        long ttl = env.redis.getBucket(io.whatsappqueue.redis.Keys.chatHistory(INSTANCE, "447700900307@s.whatsapp.net"),
                StringCodec.INSTANCE).remainTimeToLive();
        assertTrue(ttl > 0, "the memory expires");
    }

    @Test
    void pausedChatGetsNoReplyAndItsEventIsAcknowledged() {
        new ChatPauses(new io.whatsappqueue.admin.ChatControls(env.redis, java.util.Set.of("STOP"), java.util.Set.of("START"))).pause(INSTANCE, "447700900308@s.whatsapp.net", Duration.ofMinutes(5), "admin");
        String keyId = post("447700900308", "Hello, can you help me with a booking?");
        String other = post("447700900309", "Can you help me with a booking?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(other).size() == 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> env.inboundBacklog() == 0);
        assertEquals(0, env.repliesTo(keyId).size());
        assertEquals(1, env.aiCalls(), "only the other chat reached the AI");
    }

    @Test
    void stopSilencesTheBotForThatContactUntilStart() {
        String stop = post("447700900320", "Stop.");
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0);
        String after = post("447700900320", "What are your opening hours?");
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0);
        assertEquals(0, env.repliesTo(stop).size());
        assertEquals(0, env.repliesTo(after).size());

        String start = post("447700900320", "START");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(start).size() == 1);
        String again = post("447700900320", "What are your opening hours?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(again).size() == 1);
    }

    @Test
    void chatTakenOverWhileTheAiIsThinkingGetsNoReply() {
        env.stubAi(aiAnswer("An answer that comes too late").withFixedDelay(700));
        String keyId = post("447700900314", "Can I change my appointment to Friday?");
        await().atMost(Duration.ofSeconds(10)).until(() -> env.aiCalls() == 1);
        new ChatPauses(new io.whatsappqueue.admin.ChatControls(env.redis, java.util.Set.of("STOP"), java.util.Set.of("START"))).pause(INSTANCE, "447700900314@s.whatsapp.net", Duration.ofMinutes(5), "human_takeover");
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0);
        assertEquals(0, env.repliesTo(keyId).size());
    }

    @Test
    void typingIndicatorIsShownWhileTheReplyIsGenerated() {
        String keyId = post("447700900310", "Do you see children?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> env.wiremock.verify(
                postRequestedFor(urlEqualTo("/chat/sendPresence/" + INSTANCE))
                        .withHeader("apikey", com.github.tomakehurst.wiremock.client.WireMock.equalTo("test-key"))
                        .withRequestBody(matchingJsonPath("$.number", com.github.tomakehurst.wiremock.client.WireMock
                                .equalTo("447700900310@s.whatsapp.net")))
                        .withRequestBody(matchingJsonPath("$.presence", com.github.tomakehurst.wiremock.client.WireMock
                                .equalTo("composing")))));
    }

    @Test
    void typingIndicatorThatHangsOrFailsNeverHoldsTheReply() {
        env.wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/chat/sendPresence/" + INSTANCE))
                .willReturn(aResponse().withStatus(201).withFixedDelay(10_000)));
        long start = System.currentTimeMillis();
        String keyId = post("447700900311", "Can I pay by card?");
        await().atMost(Duration.ofSeconds(5)).until(() -> env.repliesTo(keyId).size() == 1);
        assertTrue(System.currentTimeMillis() - start < 5000);

        env.wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/chat/sendPresence/" + INSTANCE))
                .willReturn(aResponse().withStatus(400).withBody("{\"status\":400,\"response\":{\"message\":[\"x\"]}}")));
        String second = post("447700900312", "Can I pay by card?");
        await().atMost(Duration.ofSeconds(5)).until(() -> env.repliesTo(second).size() == 1);
    }

    @Test
    void redeliveredInboundEventIsAnsweredOnceWithTheSameText() {
        String keyId = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        String payload = "{\"instance\":\"" + INSTANCE + "\",\"key_id\":\"" + keyId + "\",\"reply_to\":\"447700900313@s.whatsapp.net\","
                + "\"contact_id\":\"447700900313@s.whatsapp.net\",\"text\":\"How do I cancel?\",\"received_at\":1761056400.5}";
        var inbound = env.redis.<String, String>getStream("wa:" + INSTANCE + ":inbound", StringCodec.INSTANCE);
        inbound.add(org.redisson.api.stream.StreamAddArgs.entry("payload", payload));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        // the same event again, as after a crash between queuing the reply and acknowledging the event
        inbound.add(org.redisson.api.stream.StreamAddArgs.entry("payload", payload));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.inboundBacklog() == 0);
        assertEquals(1, env.repliesTo(keyId).size());
        assertEquals(1, env.aiCalls(), "the kept draft is re-sent; the AI is not asked twice");
        assertEquals(1761056400.5, env.repliesTo(keyId).get(0).path("metadata").path("received_at").asDouble());
    }

    @Test
    void voiceNoteIsIgnoredWhenNoNonTextReplyIsSet() {
        com.fasterxml.jackson.databind.node.ObjectNode note = env.fixtureTree("05-audio-voice-note.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) note.path("data").path("key")).put("id", "VOICE0000000000000001");
        var answer = env.postWebhook(bytes(note));
        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().contains("\"reason\":\"audio\""), answer.body());
        assertEquals(0, env.inboundBacklog());
        assertEquals(0, env.repliesTo("VOICE0000000000000001").size());
    }

    private static String post(String number, String text) {
        String keyId = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        assertEquals(200, env.postWebhook(bytes(env.textMessage(keyId, number, text))).statusCode());
        return keyId;
    }
}
