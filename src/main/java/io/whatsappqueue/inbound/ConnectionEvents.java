package io.whatsappqueue.inbound;

import io.whatsappqueue.evolution.ConnectionState;
import io.whatsappqueue.evolution.WebhookDecision;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.SendGate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code connection.update} drives the per-instance send gate: the state goes to {@code wa:<inst>:connection}
 * ({@code open} or {@code close}), which every worker's {@link SendGate} reads, so a web process tells the
 * workers. {@code refused} (QR limit reached) counts as closed; {@code connecting} changes nothing, because
 * transient drops reconnect without a close event.
 */
public final class ConnectionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionEvents.class);

    private final RedissonClient redis;
    private final SendGate sendGate;
    private final CamelContext context;

    public ConnectionEvents(RedissonClient redis, SendGate sendGate, CamelContext context) {
        this.redis = redis;
        this.sendGate = sendGate;
        this.context = context;
    }

    /**
     * Route step for a CONNECTION decision.
     * Reads: property WaDecision. Sets: nothing on the exchange (the connection state in Redis).
     */
    public void record(Exchange exchange) {
        WebhookDecision d = exchange.getProperty(WebhookIntake.DECISION, WebhookDecision.class);
        String instance = d.instance();
        ConnectionState state = d.connectionState();
        switch (state) {
            case OPEN -> {
                redis.getBucket(Keys.connection(instance), StringCodec.INSTANCE).set("open");
                LOG.info("Instance {}: WhatsApp session open (connection.update)", instance);
                resumeLocalGate(instance);
            }
            case CLOSE, REFUSED -> {
                redis.getBucket(Keys.connection(instance), StringCodec.INSTANCE).set("close");
                LOG.warn("Instance {}: WhatsApp session {} (statusReason {}); sending paused, replies stay queued."
                        + " An operator must reconnect the instance (QR scan) in Evolution.",
                        instance, state.wireName(), d.statusReason());
            }
            case CONNECTING -> LOG.info("Instance {}: WhatsApp session connecting (connection.update)", instance);
            default -> throw new IllegalStateException("unknown connection state " + state);
        }
    }

    /** A send gate paused in this process opens now rather than at its next connectionState probe. */
    private void resumeLocalGate(String instance) {
        if (sendGate.isPaused(instance)) {
            sendGate.resume(instance);
        }
    }
}
