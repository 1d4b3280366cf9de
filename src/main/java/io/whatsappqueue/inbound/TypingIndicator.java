package io.whatsappqueue.inbound;

import io.whatsappqueue.evolution.EvolutionRequests;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "typing…" in the patient's chat while the reply is generated: Evolution's sendPresence composing. Best
 * effort: it runs beside the reply (a wire tap), with its own short HTTP timeouts, and a failure is only
 * counted and logged at debug.
 */
public final class TypingIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(TypingIndicator.class);

    private final EvolutionRequests requests;
    private final long delayMs;
    private final io.whatsappqueue.observe.WaMetrics metrics;

    public TypingIndicator(EvolutionRequests requests, long delayMs, io.whatsappqueue.observe.WaMetrics metrics) {
        this.requests = requests;
        this.delayMs = delayMs;
        this.metrics = metrics;
    }

    /**
     * Route step: the sendPresence body for the inbound event's chat.
     * Reads: property WaInbound. Sets: body (the sendPresence JSON, returned).
     */
    public String request(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        return requests.composing(e.replyTo(), delayMs);
    }

    /**
     * Route step when Evolution did not take it (an error status or no answer in time).
     * Reads: header CamelRedisStreamInstance, CamelHttpResponseCode; property CamelExceptionCaught. Sets: nothing
     * (logs).
     */
    public void failed(Exchange exchange) {
        String instance = exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
        metrics.typingFailed(instance);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.debug("typing indicator not shown for instance {}: {}", instance, cause != null
                ? cause.getClass().getSimpleName()
                : "HTTP " + exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
    }
}
