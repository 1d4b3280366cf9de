package io.whatsappqueue.send;

import java.util.LinkedHashMap;
import java.util.Map;

import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Send-side idempotency: a message_id that Evolution accepted is remembered for 24 h, so a redelivered entry
 * (after a crash between the marker and the acknowledgement) is acknowledged without a second POST. The
 * id Evolution gave the sent message goes to {@link OwnSends}, which tells our own echoes from staff typing.
 */
public final class SentMarkers {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.whatsappqueue.messages");
    public static final String ALREADY_SENT = "WaAlreadySent";

    private final RedissonClient redis;
    private final OwnSends ownSends;

    public SentMarkers(RedissonClient redis, OwnSends ownSends) {
        this.redis = redis;
        this.ownSends = ownSends;
    }

    /**
     * Route step: sets property {@value #ALREADY_SENT}.
     * Reads: property WaMessage. Sets: property WaAlreadySent (also returned).
     */
    public boolean check(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        boolean sent = redis.getBucket(Keys.sent(instance(exchange), m.messageId()), StringCodec.INSTANCE).isExists();
        exchange.setProperty(ALREADY_SENT, sent);
        return sent;
    }

    /**
     * Route step, right after Evolution accepted the message: asks the stream consumer to write the send marker
     * (and the reverse marker of Evolution's key.id) in the same atomic step that acknowledges and deletes the
     * entry (header {@link RedisStreamConstants#MARK_ON_FINISH}), so the marker exists exactly when the entry is
     * gone, and a Redis that refuses writes for a while delays the marker instead of causing a second send.
     * Reads: property WaMessage, WaProviderMessageId; header CamelRedisStreamInstance. Sets: header
     * CamelRedisStreamMarkOnFinish.
     */
    public void mark(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        String providerId = exchange.getProperty(EvolutionSendResult.PROVIDER_ID, "", String.class);
        Map<String, String> markers = new LinkedHashMap<>();
        markers.put(Keys.sent(instance(exchange), m.messageId()), providerId.isEmpty() ? "1" : providerId);
        if (!providerId.isEmpty()) {
            // the reverse marker: a fromMe upsert with this key.id is our own send, not staff taking over
            markers.put(Keys.ours(instance(exchange), providerId), m.messageId());
            try {
                // the echo expected before the POST is used up; the marker above follows with the acknowledgement
                ownSends.accepted(instance(exchange), m, providerId);
            } catch (org.redisson.client.RedisException e) {
                // the message is sent: failing the route now would send it again. The marker is written when the
                // entry is finished, and the expectation expires by itself (WA_ECHO_EXPECT_TTL_S)
                LOG.warn("outcome=echo_marker_deferred instance={} reason={}", instance(exchange), e.getMessage());
            }
        }
        exchange.getMessage().setHeader(RedisStreamConstants.MARK_ON_FINISH, markers);
    }

    private static String instance(Exchange exchange) {
        return exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
    }
}
