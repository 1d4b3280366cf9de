package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.send.SentMarkers;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

import static io.whatsappqueue.inbound.InboundTestEnv.INSTANCE;
import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static io.whatsappqueue.inbound.InboundTestEnv.fixture;
import static io.whatsappqueue.inbound.InboundTestEnv.fixtureTree;
import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static io.whatsappqueue.inbound.InboundTestEnv.textMessage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staff answering from the phone silences the bot in that chat for WA_HUMAN_TAKEOVER_PAUSE_S; our own sends do not. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class HumanTakeoverTest {
    private static final long PAUSE_S = 3;
    private static InboundTestEnv env;

    @EndpointInject
    ProducerTemplate template;

    @BeforeAll
    static void startPeers() {
        env = InboundTestEnv.withAi(Map.of("WA_HUMAN_TAKEOVER_PAUSE_S", String.valueOf(PAUSE_S)));
    }

    @AfterAll
    static void stopPeers() {
        env.close();
    }

    @BeforeEach
    void resetPeers() {
        env.stubEvolution();
    }

    @Test
    void staffTypingOnThePhonePausesTheChatUntilThePauseExpires() {
        // fixture 16: fromMe in the 1:1 chat with 447700900123, typed on the phone (not one of our sends)
        assertEquals("ignored", read(env.postWebhook(fixture("16-fromme-echo.json")).body()).path("status").asText());
        String pauseKey = io.whatsappqueue.redis.Keys.chatPause(INSTANCE, io.whatsappqueue.redis.Keys.chat(("447700900123@s.whatsapp.net")));
        long ttl = env.redis.getBucket(pauseKey, StringCodec.INSTANCE).remainTimeToLive();
        assertTrue(ttl > 0 && ttl <= PAUSE_S * 1000, "a pause with a TTL, in Redis so it survives restarts: " + ttl);

        String whilePaused = newKeyId();
        env.postWebhook(bytes(textMessage(whilePaused, "447700900123", "Are you there? I need an appointment")));
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0);
        assertEquals(0, env.repliesTo(whilePaused).size(), "the bot stays silent while staff handle the chat");
        assertEquals(0, env.aiCalls());

        await().atMost(Duration.ofSeconds(PAUSE_S + 5)).until(() -> !env.redis.getBucket(pauseKey).isExists());
        String afterPause = newKeyId();
        env.postWebhook(bytes(textMessage(afterPause, "447700900123", "Hello again, are you open tomorrow?")));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(afterPause).size() == 1);
    }

    @Test
    void echoOfOurOwnSendDoesNotPauseTheChat() {
        CamelContext context = template.getCamelContext();
        String providerId = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
        markSent(context, providerId);

        ObjectNode echo = fixtureTree("16-fromme-echo.json");
        ObjectNode key = (ObjectNode) echo.path("data").path("key");
        key.put("id", providerId);
        key.put("remoteJid", "447700900402@s.whatsapp.net");
        key.remove("remoteJidAlt");
        assertEquals(200, env.postWebhook(bytes(echo)).statusCode());
        assertFalse(new ChatPauses(new io.whatsappqueue.admin.ChatControls(env.redis, java.util.Set.of("STOP"), java.util.Set.of("START"))).isPaused(INSTANCE, "447700900402@s.whatsapp.net"));

        String keyId = newKeyId();
        env.postWebhook(bytes(textMessage(keyId, "447700900402", "Thanks, and what about Saturday?")));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
    }

    @Test
    void fromMeInAGroupPausesNothing() {
        ObjectNode group = fixtureTree("17-group-message.json");
        ((ObjectNode) group.path("data").path("key")).put("fromMe", true);
        assertEquals(200, env.postWebhook(bytes(group)).statusCode());
        assertTrue(env.redis.getKeys().getKeysStreamByPattern("wa:" + INSTANCE + ":chat:*:paused").findAny().isEmpty());
    }

    /**
     * What the send route does after Evolution accepted a message: SentMarkers.mark with the key.id it returned,
     * then the stream consumer writes the markers it asked for when it finishes the entry.
     */
    private static void markSent(CamelContext context, String providerId) {
        SentMarkers markers = context.getRegistry().lookupByNameAndType("sentMarkers", SentMarkers.class);
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(RedisStreamConstants.INSTANCE, INSTANCE);
        exchange.setProperty(OutboundMessages.PROPERTY, OutboundMessages.parse(OutboundMessages.newPayload(
                "reply-1", "447700900402@s.whatsapp.net", "We are open until 18:30.", null), "1-0"));
        exchange.setProperty(EvolutionSendResult.PROVIDER_ID, providerId);
        markers.mark(exchange);
        @SuppressWarnings("unchecked")
        java.util.Map<String, String> finish = exchange.getMessage().getHeader(RedisStreamConstants.MARK_ON_FINISH, java.util.Map.class);
        finish.forEach((key, value) -> env.redis.getBucket(key, org.redisson.client.codec.StringCodec.INSTANCE).set(value));
    }

    private static String newKeyId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }
}
