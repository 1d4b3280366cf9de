package io.whatsappqueue.inbound;

import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.logging.PhoneMask;
import io.whatsappqueue.stream.PoisonEntryException;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reply route's log lines and counters for events that get no reply. No text; numbers masked. */
public final class ReplyLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final io.whatsappqueue.observe.WaMetrics metrics;

    public ReplyLog(io.whatsappqueue.observe.WaMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * The chat is paused (human takeover, admin) or opted out: acknowledged without a reply.
     * Reads: property WaInbound. Sets: nothing (logs, counts).
     */
    public void pausedChat(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        metrics.pausedChatSkipped(e.instance());
        LOG.info("outcome=skipped_paused_chat instance={} in_reply_to={} contact={}", e.instance(),
                InstanceNames.safeForLog(e.keyId()), PhoneMask.mask(e.contactId()));
    }

    /**
     * An entry that can never be read: acknowledged and dropped, with the reason.
     * Reads: header CamelRedisStreamInstance, CamelRedisStreamId; property CamelExceptionCaught. Sets: nothing (logs,
     * counts).
     */
    public void poison(Exchange exchange) {
        String instance = exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
        PoisonEntryException p = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, PoisonEntryException.class);
        metrics.poisonEntry(instance);
        LOG.error("outcome=dropped_unreadable instance={} stream_id={} reason={}", instance,
                exchange.getMessage().getHeader(RedisStreamConstants.ID, String.class), p == null ? "unknown" : p.reason());
    }
}
