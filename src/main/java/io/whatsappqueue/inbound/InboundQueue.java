package io.whatsappqueue.inbound;

import io.whatsappqueue.evolution.InboundMessage;
import io.whatsappqueue.evolution.WebhookDecision;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Prepares an accepted message for {@code to: redis-stream:inbound} (webhook-in.camel.yaml): the body becomes the
 * entry's payload ({@link InboundEntries#payload}), the headers name the instance, the add-once id (Evolution's
 * key.id, so a redelivered webhook is a duplicate for 24 h) and the chat (the contact), so one contact's
 * messages are answered in the order they arrived.
 */
public final class InboundQueue {

    /**
     * Route step for a QUEUE decision, received at the request's arrival.
     * Reads: property WaDecision, WaReceivedAt. Sets: body (the entry payload); header CamelRedisStreamInstance,
     * CamelRedisStreamAddOnceId, CamelRedisStreamChat.
     */
    public void entry(Exchange exchange) {
        WebhookDecision d = exchange.getProperty(WebhookIntake.DECISION, WebhookDecision.class);
        InboundMessage m = d.inbound();
        Message msg = exchange.getMessage();
        msg.setBody(InboundEntries.payload(m, exchange.getProperty(WebhookIntake.RECEIVED_AT, Long.class)));
        msg.setHeader(RedisStreamConstants.INSTANCE, m.instance());
        msg.setHeader(RedisStreamConstants.ADD_ONCE_ID, m.messageKeyId());
        msg.setHeader(RedisStreamConstants.CHAT, m.contactId());
    }
}
