package io.whatsappqueue.send;

import java.time.Duration;

import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.StreamProperties;
import org.apache.camel.Exchange;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Send-side idempotency: a message_id that Evolution accepted is remembered for 24 h, so a redelivered entry
 * (after a crash between the marker and the acknowledgement) is acknowledged without a second POST. The
 * id Evolution gave the sent message goes to {@link OwnSends}, which tells our own echoes from staff typing.
 */
public final class SentMarkers {
    public static final String ALREADY_SENT = "WaAlreadySent";
    private static final Duration TTL = Duration.ofHours(24);

    private final RedissonClient redis;
    private final OwnSends ownSends;

    public SentMarkers(RedissonClient redis, OwnSends ownSends) {
        this.redis = redis;
        this.ownSends = ownSends;
    }

    /** Route step: sets property {@value #ALREADY_SENT}. */
    public boolean check(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        boolean sent = redis.getBucket(Keys.sent(instance(exchange), m.messageId()), StringCodec.INSTANCE).isExists();
        exchange.setProperty(ALREADY_SENT, sent);
        return sent;
    }

    /** Route step, right after Evolution accepted the message. */
    public void mark(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        String providerId = exchange.getProperty(EvolutionSendResult.PROVIDER_ID, "", String.class);
        redis.getBucket(Keys.sent(instance(exchange), m.messageId()), StringCodec.INSTANCE)
                .set(providerId.isEmpty() ? "1" : providerId, TTL);
        if (!providerId.isEmpty()) {
            ownSends.accepted(instance(exchange), m, providerId);
        }
    }

    private static String instance(Exchange exchange) {
        return exchange.getProperty(StreamProperties.INSTANCE, String.class);
    }
}
