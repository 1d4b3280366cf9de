package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.send.OutboundMessage;
import io.whatsappqueue.send.OutboundMessages;
import org.apache.camel.Exchange;

/** Request bodies for Evolution's REST API (EVOLUTION_API.md §5.1). */
public final class EvolutionRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final long sendDelayMs;

    public EvolutionRequests(long sendDelayMs) {
        this.sendDelayMs = sendDelayMs;
    }

    /**
     * Route step: {number, text, delay, linkPreview:false} for the message in the exchange, as a ready HTTP
     * entity: handing camel-http a String costs a type-converter search per message (measured: 13 % of the
     * worker's CPU in the drain benchmark).
     * Reads: property WaMessage. Sets: property WaSendStartedNanos; body (the HTTP entity, returned).
     */
    public org.apache.hc.core5.http.HttpEntity sendText(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        ObjectNode body = JSON.createObjectNode();
        body.put("number", m.to());
        body.put("text", m.text());
        body.put("delay", sendDelayMs);
        body.put("linkPreview", false);
        // the call starts right after this step: the send-duration histogram measures from here
        exchange.setProperty(io.whatsappqueue.observe.MessageEvents.SEND_STARTED, System.nanoTime());
        return new org.apache.hc.core5.http.io.entity.StringEntity(body.toString(),
                org.apache.hc.core5.http.ContentType.APPLICATION_JSON);
    }

    /** Typing indicator body: {number, presence:"composing", delay}. */
    public String composing(String number, long delayMs) {
        ObjectNode body = JSON.createObjectNode();
        body.put("number", number);
        body.put("presence", "composing");
        body.put("delay", delayMs);
        return body.toString();
    }
}
