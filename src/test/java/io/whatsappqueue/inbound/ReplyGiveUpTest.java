package io.whatsappqueue.inbound;

import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

/**
 * I6: an inbound event the reply step cannot handle is not retried forever: after WA_MAX_DELIVERIES tries the
 * patient gets the fallback reply and the event goes to wa:<instance>:inbound:dlq with its reason.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class ReplyGiveUpTest {
    private static final String FALLBACK = "Reception will call you back shortly.";
    private static final String INSTANCE = "acme-give-up";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withoutAi(INSTANCE, Map.of(
            "WA_MAX_DELIVERIES", "2",
            "WA_BASE_BACKOFF", "0.1",
            "WA_MAX_BACKOFF", "0.2",
            "WA_AI_FALLBACK_TEXT", FALLBACK));

    @Test
    void anEventTheReplyStepKeepsFailingOnGetsTheFallbackAndGoesToTheInboundDeadLetters() {
        String keyId = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        // the reply draft key holds a list: every try of the reply step fails reading it (WRONGTYPE)
        env.redis.getList(Keys.replyDraft(INSTANCE, keyId), StringCodec.INSTANCE).add("not a draft");

        assertEquals(200, env.postWebhook(bytes(env.textMessage(keyId, "447700900901", "Can I book a check-up?"))).statusCode());

        await().atMost(Duration.ofSeconds(20)).until(() -> env.repliesTo(keyId).size() == 1 && deadLetters().size() == 1);
        assertEquals(FALLBACK, env.repliesTo(keyId).get(0).path("text").asText());
        JsonNode dead = deadLetters().get(0);
        assertEquals(keyId, dead.path("key_id").asText());
        assertTrue(dead.path("final_error").asText().startsWith("reply_failed"), dead.toString());
        assertEquals(2, dead.path("delivery_attempts").asInt());
        await().atMost(Duration.ofSeconds(5)).until(() -> env.inboundBacklog() == 0);
    }

    private static List<JsonNode> deadLetters() {
        return env.redis.<String, String>getStream(Keys.inboundDeadLetters(INSTANCE), StringCodec.INSTANCE)
                .range(org.redisson.api.StreamMessageId.MIN, org.redisson.api.StreamMessageId.MAX).values().stream()
                .map(f -> InboundTestEnv.read(f.get("payload"))).toList();
    }
}
