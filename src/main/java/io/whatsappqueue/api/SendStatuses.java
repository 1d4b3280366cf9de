package io.whatsappqueue.api;

import io.whatsappqueue.evolution.EvolutionSendResult;
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
 * Before the POST a failure stops the route (the entry is retried, nothing was sent); after the POST a status that
 * Redis did not take is logged and counted, never a reason to fail the route (that would send the message again).
 * A part of a long API message reports to its message's one record ({@link MessageParts}).
 */
public final class SendStatuses {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final MessageStatuses statuses;

    public SendStatuses(MessageStatuses statuses) {
        this.statuses = statuses;
    }

    /** Route step right before the POST: true when the message was cancelled and must not be sent. */
    public boolean cancelled(Exchange exchange) {
        OutboundMessage m = message(exchange);
        return !statuses.claim(instance(exchange), MessageParts.statusId(m), m.to(), MessageParts.partOf(m));
    }

    /** Route step after Evolution accepted the message: sent, with Evolution's key.id. */
    public void sent(Exchange exchange) {
        OutboundMessage m = message(exchange);
        try {
            statuses.sent(instance(exchange), MessageParts.statusId(m), m.to(),
                    exchange.getProperty(EvolutionSendResult.PROVIDER_ID, "", String.class), MessageParts.partOf(m));
        } catch (RedisException e) {
            LOG.warn("outcome=status_not_recorded instance={} message_id={} status=sent reason={}", instance(exchange),
                    m.messageId(), e.getClass().getSimpleName());
        }
    }

    /** Route step of a message not sent because its recipient opted out. */
    public void optedOut(Exchange exchange) {
        OutboundMessage m = message(exchange);
        statuses.change(instance(exchange), MessageParts.statusId(m), "skipped", "opted_out", m.to());
    }

    /** Route step after the dead letter was written: failed, with the dead letter's reason. */
    public void failed(Exchange exchange) {
        OutboundMessage m = message(exchange);
        if (m == null) {
            return; // an entry that could not be read has no message id to report on
        }
        try {
            statuses.failed(instance(exchange), MessageParts.statusId(m),
                    exchange.getProperty(DeadLetters.REASON, "unknown", String.class), m.to(), MessageParts.partOf(m));
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
