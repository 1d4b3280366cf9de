package io.whatsappqueue.api;

import io.whatsappqueue.send.DeadLetters;
import io.whatsappqueue.send.OutboundMessage;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send and dead-letter routes' status steps ({@link MessageStatuses}), for API messages and AI replies alike.
 * The claim before the POST and the status sent after it are written inside the stream engine's scripts
 * (send.SendEntryScripts); a status written here that Redis did not take is logged, never a reason to fail the
 * route (that would send the message again).
 * A part of a long API message reports to its message's one record ({@link MessageParts}).
 */
public final class SendStatuses {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final MessageStatuses statuses;

    public SendStatuses(MessageStatuses statuses) {
        this.statuses = statuses;
    }

    /** Route step of a message not sent because its recipient opted out. */
    public void optedOut(Exchange exchange) {
        OutboundMessage m = message(exchange);
        statuses.change(instance(exchange), m.statusId(), "skipped", "opted_out", m.to());
    }

    /** Route step after the dead letter was written: failed, with the dead letter's reason. */
    public void failed(Exchange exchange) {
        OutboundMessage m = message(exchange);
        if (m == null) {
            return; // an entry that could not be read has no message id to report on
        }
        try {
            statuses.failed(instance(exchange), m.statusId(),
                    exchange.getProperty(DeadLetters.REASON, "unknown", String.class), m.to(), m.part());
        } catch (RedisException e) {
            LOG.warn("outcome=status_not_recorded instance={} message_id={} status=failed reason={}", instance(exchange),
                    m.messageId(), e.getClass().getSimpleName());
        }
    }

    private static OutboundMessage message(Exchange exchange) {
        return exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
    }

    private static String instance(Exchange exchange) {
        return exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
    }
}
