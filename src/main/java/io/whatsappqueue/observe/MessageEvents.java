package io.whatsappqueue.observe;

import java.time.Duration;

import io.whatsappqueue.send.DeadLetters;
import io.whatsappqueue.send.OutboundMessage;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.stream.StreamEvents;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per message event (instance, message_id, stream id, outcome, duration; never the text, never
 * the number) and the matching metric.
 */
public final class MessageEvents implements StreamEvents {
    /** Set by the step that builds the Evolution request, just before the call. */
    public static final String SEND_STARTED = "WaSendStartedNanos";
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final WaMetrics metrics;

    public MessageEvents(WaMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Reads: property WaSendStartedNanos, WaMessage; header CamelRedisStreamInstance, CamelRedisStreamId,
     * CamelRedisStreamDelivery. Sets: nothing (log, metrics).
     */
    public void sent(Exchange exchange) {
        String instance = instance(exchange);
        Long started = exchange.getProperty(SEND_STARTED, Long.class);
        metrics.sent(instance, started == null ? 0 : System.nanoTime() - started);
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        double receivedAt = m == null ? 0 : m.metadata().path("received_at").asDouble(0);
        if (receivedAt > 0) {
            metrics.endToEnd(instance, Duration.ofMillis(Math.max(0, System.currentTimeMillis() - Math.round(receivedAt * 1000))));
        }
        LOG.info("outcome=sent {}", describe(exchange));
    }

    /**
     * Reads: property WaMessage; header CamelRedisStreamInstance, CamelRedisStreamId, CamelRedisStreamDelivery. Sets:
     * nothing (log, metric).
     */
    public void alreadySent(Exchange exchange) {
        metrics.deduplicated(instance(exchange), "send");
        LOG.info("outcome=already_sent {}", describe(exchange));
    }

    /**
     * The recipient opted out (STOP): the entry is acknowledged and never sent.
     * Reads: property WaMessage; header CamelRedisStreamInstance, CamelRedisStreamId, CamelRedisStreamDelivery. Sets:
     * nothing (log).
     */
    public void optedOut(Exchange exchange) {
        LOG.info("outcome=opted_out {}", describe(exchange));
    }

    /**
     * Reads: property WaDeadLetterReason, WaMessage; header CamelRedisStreamInstance, CamelRedisStreamId,
     * CamelRedisStreamDelivery. Sets: nothing (log, metric).
     */
    public void deadLettered(Exchange exchange) {
        metrics.deadLettered(instance(exchange));
        LOG.warn("outcome=dead_lettered reason=\"{}\" {}", exchange.getProperty(DeadLetters.REASON, String.class),
                describe(exchange));
    }

    @Override
    public void retrying(String instance, String streamId, int attempt, long retryInMs, Throwable failure) {
        metrics.failed(instance);
        LOG.info("outcome=retry instance={} stream_id={} attempt={} retry_in_ms={} reason=\"{}\"",
                instance, streamId, attempt, retryInMs, reason(failure));
    }

    @Override
    public void held(String instance, String streamId, int attempt, Throwable failure) {
        metrics.failed(instance);
        LOG.info("outcome=held instance={} stream_id={} attempt={} reason=\"{}\" (sending paused; attempt not counted)",
                instance, streamId, attempt, reason(failure));
    }

    private static String instance(Exchange exchange) {
        return exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
    }

    private static String reason(Throwable failure) {
        String m = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private static String describe(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        long ms = System.currentTimeMillis() - exchange.getClock().getCreated();
        return "instance=" + instance(exchange)
                + " message_id=" + (m == null ? "-" : m.messageId())
                + " stream_id=" + exchange.getMessage().getHeader(RedisStreamConstants.ID, String.class)
                + " attempt=" + exchange.getMessage().getHeader(RedisStreamConstants.DELIVERY, Integer.class)
                + " duration_ms=" + ms;
    }
}
