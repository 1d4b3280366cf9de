package io.whatsappqueue.inbound;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.admin.ChatControls;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.send.SentMarkers;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RBucket;
import org.redisson.client.codec.StringCodec;

import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staff answering from the phone silences the bot in that chat for WA_HUMAN_TAKEOVER_PAUSE_S; our own sends do
 * not. The pause is checked where the product keeps it (ChatControls' pause key and index, the same the admin
 * API lists and resumes) and by what the patient sees: no reply while paused, a reply after expiry or resume.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class HumanTakeoverTest {
    private static final long PAUSE_S = 6;
    private static final String INSTANCE = "acme-takeover";
    private static final String ADMIN_TOKEN = "takeover-admin-token";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of(
            "WA_HUMAN_TAKEOVER_PAUSE_S", String.valueOf(PAUSE_S),
            "ADMIN_TOKEN", ADMIN_TOKEN));

    @EndpointInject
    ProducerTemplate template;

    @BeanInject
    ChatControls chatControls;

    @BeforeEach
    void resetPeers() {
        env.stubEvolution();
    }

    @Test
    void staffTypingOnThePhonePausesTheChatUntilThePauseExpires() {
        // fixture 16: fromMe in the 1:1 chat with 447700900123, typed on the phone (not one of our sends)
        long before = System.currentTimeMillis();
        assertEquals("ignored", read(env.postWebhook(env.fixture("16-fromme-echo.json")).body()).path("status").asText());
        assertPausedFor("447700900123", before);

        String whilePaused = newKeyId();
        env.postWebhook(bytes(env.textMessage(whilePaused, "447700900123", "Are you there? I need an appointment")));
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0);
        assertEquals(0, env.repliesTo(whilePaused).size(), "the bot stays silent while staff handle the chat");
        assertEquals(0, env.aiCalls());

        await().atMost(Duration.ofSeconds(PAUSE_S + 5)).until(() -> !pauseKey("447700900123").isExists());
        assertTrue(chatControls.paused(INSTANCE).isEmpty(), "an expired pause is no longer listed");
        String afterPause = newKeyId();
        env.postWebhook(bytes(env.textMessage(afterPause, "447700900123", "Hello again, are you open tomorrow?")));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(afterPause).size() == 1);
    }

    @Test
    void anOperatorResumingTheChatLetsTheBotAnswerAgainAtOnce() {
        long before = System.currentTimeMillis();
        assertEquals("ignored", read(env.postWebhook(bytes(staffMessage("447700900125", newKeyId()))).body())
                .path("status").asText());
        assertPausedFor("447700900125", before);
        String whilePaused = newKeyId();
        env.postWebhook(bytes(env.textMessage(whilePaused, "447700900125", "Hello? Is anyone there?")));
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0);
        assertEquals(0, env.repliesTo(whilePaused).size(), "the bot stays silent while staff handle the chat");

        HttpResponse<String> resumed = env.post("/admin/chats/447700900125/resume?instance=" + INSTANCE, new byte[0],
                Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
        assertEquals(200, resumed.statusCode(), resumed.body());
        assertTrue(read(resumed.body()).path("was_paused").asBoolean(), "the takeover's pause was still on: " + resumed.body());
        assertFalse(pauseKey("447700900125").isExists(), "resume removes the pause the takeover wrote");
        assertTrue(chatControls.paused(INSTANCE).stream().noneMatch(p -> p.contact().equals("447700900125")));

        String afterResume = newKeyId();
        env.postWebhook(bytes(env.textMessage(afterResume, "447700900125", "Can I book for Monday?")));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(afterResume).size() == 1);
    }

    @Test
    void echoOfOurOwnSendDoesNotPauseTheChat() {
        CamelContext context = template.getCamelContext();
        String providerId = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
        markSent(context, providerId);

        assertEquals(200, env.postWebhook(bytes(staffMessage("447700900402", providerId))).statusCode());
        assertFalse(pauseKey("447700900402").isExists(), "no pause stored for our own send's echo");
        assertTrue(chatControls.paused(INSTANCE).stream().noneMatch(p -> p.contact().equals("447700900402")));

        String keyId = newKeyId();
        env.postWebhook(bytes(env.textMessage(keyId, "447700900402", "Thanks, and what about Saturday?")));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
    }

    @Test
    void fromMeInAGroupPausesNothing() {
        ObjectNode group = env.fixtureTree("17-group-message.json");
        ((ObjectNode) group.path("data").path("key")).put("fromMe", true);
        String groupJid = group.path("data").path("key").path("remoteJid").asText();
        assertEquals(200, env.postWebhook(bytes(group)).statusCode());
        assertFalse(pauseKey(groupJid).isExists(), "no pause stored for the group");
        assertTrue(chatControls.paused(INSTANCE).isEmpty(), "no chat listed as paused");
        assertTrue(env.redis.getKeys().getKeysStreamByPattern(Keys.chatPause(INSTANCE, "*")).findAny().isEmpty(),
                "no pause key at all");
    }

    /** The pause as ChatControls stored it: a key with a TTL of the takeover pause, listed in the paused index. */
    private void assertPausedFor(String number, long notBefore) {
        long ttl = pauseKey(number).remainTimeToLive();
        assertTrue(ttl > 0 && ttl <= PAUSE_S * 1000, "a pause with a TTL, in Redis so it survives restarts: " + ttl);
        ChatControls.PausedChat listed = chatControls.paused(INSTANCE).stream()
                .filter(p -> p.contact().equals(number)).findFirst().orElseThrow(() -> new AssertionError(
                        "the chat is not listed as paused (what GET /admin/chats/paused shows)"));
        assertTrue(listed.pausedAtMs() >= notBefore, "paused now: " + listed);
        assertEquals(PAUSE_S * 1000, listed.untilMs() - listed.pausedAtMs(), "for WA_HUMAN_TAKEOVER_PAUSE_S");
        assertTrue(env.redis.getScoredSortedSet(Keys.chatPauses(INSTANCE), StringCodec.INSTANCE).contains(Keys.chat(number)));
    }

    private static RBucket<String> pauseKey(String contact) {
        return env.redis.getBucket(Keys.chatPause(INSTANCE, Keys.chat(contact)), StringCodec.INSTANCE);
    }

    /** Fixture 16 (fromMe in a 1:1 chat) for another contact and key.id. */
    private static ObjectNode staffMessage(String number, String keyId) {
        ObjectNode echo = env.fixtureTree("16-fromme-echo.json");
        ObjectNode key = (ObjectNode) echo.path("data").path("key");
        key.put("id", keyId);
        key.put("remoteJid", number + "@s.whatsapp.net");
        key.remove("remoteJidAlt");
        return echo;
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
