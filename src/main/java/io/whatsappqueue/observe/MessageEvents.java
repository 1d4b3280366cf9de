package io.whatsappqueue.observe;

import io.whatsappqueue.send.DeadLetters;
import io.whatsappqueue.send.OutboundMessage;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.stream.StreamProperties;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per message event: instance, message_id, stream id, outcome, duration. Never the text,
 * never the number.
 */
public final class MessageEvents {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    public void sent(Exchange exchange) {
        LOG.info("outcome=sent {}", describe(exchange));
    }

    public void alreadySent(Exchange exchange) {
        LOG.info("outcome=already_sent {}", describe(exchange));
    }

    /** The recipient opted out (STOP): the entry is acknowledged and never sent. */
    public void optedOut(Exchange exchange) {
        LOG.info("outcome=opted_out {}", describe(exchange));
    }

    public void deadLettered(Exchange exchange) {
        LOG.warn("outcome=dead_lettered reason=\"{}\" {}", exchange.getProperty(DeadLetters.REASON, String.class),
                describe(exchange));
    }

    private static String describe(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        long ms = System.currentTimeMillis() - exchange.getClock().getCreated();
        return "instance=" + exchange.getProperty(StreamProperties.INSTANCE, String.class)
                + " message_id=" + (m == null ? "-" : m.messageId())
                + " stream_id=" + exchange.getProperty(StreamProperties.STREAM_ID, String.class)
                + " attempt=" + exchange.getProperty(StreamProperties.DELIVERY, Integer.class)
                + " duration_ms=" + ms;
    }
}
