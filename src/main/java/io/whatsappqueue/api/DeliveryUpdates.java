package io.whatsappqueue.api;

import java.util.Locale;

import io.whatsappqueue.evolution.WebhookDecision;
import io.whatsappqueue.inbound.WebhookIntake;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's step for Evolution's {@code messages.update} of our sends (EVOLUTION_API.md §4.5): DELIVERY_ACK
 * makes the message delivered, READ and PLAYED read, matched through the Evolution id the send recorded; an update
 * that overtook the send's answer is kept until the send records the id ({@link MessageStatuses#update}). Other
 * statuses (SERVER_ACK, DELETED) change nothing. A Redis failure is the webhook's 503, so Evolution sends it again.
 */
public final class DeliveryUpdates {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final MessageStatuses statuses;

    public DeliveryUpdates(MessageStatuses statuses) {
        this.statuses = statuses;
    }

    /** Route step of webhook-in for a decision with a delivery status. */
    public void record(Exchange exchange) {
        WebhookDecision d = exchange.getProperty(WebhookIntake.DECISION, WebhookDecision.class);
        String status = ourStatus(d.deliveryStatus());
        if (status == null) {
            return;
        }
        String outcome = statuses.update(d.instance(), d.messageKeyId(), status, MessageStatuses.now());
        LOG.debug("outcome=delivery_update instance={} status={} result={}", d.instance(), status, outcome);
    }

    /** delivered, read, or null for an Evolution status that is neither. */
    static String ourStatus(String evolutionStatus) {
        return switch (evolutionStatus == null ? "" : evolutionStatus.toUpperCase(Locale.ROOT)) {
            case "DELIVERY_ACK" -> "delivered";
            case "READ", "PLAYED" -> "read";
            default -> null;
        };
    }
}
