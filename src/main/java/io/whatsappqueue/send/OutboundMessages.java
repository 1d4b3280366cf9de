package io.whatsappqueue.send;

import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.stream.PoisonEntryException;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;

/**
 * Reads and writes the stream entry payload. Reads Python's ASCII-escaped JSON and UTF-8 JSON alike
 * (JSON escapes are decoded by the parser); writes compact UTF-8 JSON, which Python's json.loads reads.
 */
public final class OutboundMessages {
    public static final String PROPERTY = "WaMessage";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Route step: the entry's payload becomes an {@link OutboundMessage} in property {@value #PROPERTY}. Attempts
     * the previous system already made (it re-added failed entries with {@code attempts} raised) count too.
     * Reads: body (the entry payload); header CamelRedisStreamId, CamelRedisStreamDelivery. Sets: property WaMessage;
     * header CamelRedisStreamDelivery (plus earlier attempts).
     */
    public OutboundMessage parse(Exchange exchange) {
        String payload = exchange.getMessage().getBody(String.class);
        OutboundMessage m = parse(payload, exchange.getMessage().getHeader(RedisStreamConstants.ID, String.class));
        exchange.setProperty(PROPERTY, m);
        if (m.attempts() > 0) {
            int delivery = exchange.getMessage().getHeader(RedisStreamConstants.DELIVERY, 1, Integer.class);
            exchange.getMessage().setHeader(RedisStreamConstants.DELIVERY, delivery + m.attempts());
        }
        return m;
    }

    public static OutboundMessage parse(String payload, String streamId) {
        if (payload == null) {
            throw new PoisonEntryException("missing_payload", "the entry has no 'payload' field");
        }
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new PoisonEntryException("json_decode_error", e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new PoisonEntryException("payload_not_object", "payload is JSON but not an object");
        }
        ObjectNode o = (ObjectNode) node;
        String to = text(o, "to");
        String text = text(o, "text");
        if (to == null) {
            throw new PoisonEntryException("missing_to", "payload has no non-empty string 'to'");
        }
        if (text == null) {
            throw new PoisonEntryException("missing_text", "payload has no non-empty string 'text'");
        }
        String id = text(o, "message_id");
        if (id == null) {
            // without an id, the stream id is the only stable identity for send-side idempotency
            id = "stream-" + streamId;
        }
        double queuedAt = o.path("queued_at").isNumber() ? o.get("queued_at").asDouble() : 0;
        int attempts = o.path("attempts").canConvertToInt() ? o.get("attempts").asInt() : 0;
        ObjectNode metadata = o.path("metadata").isObject() ? (ObjectNode) o.get("metadata") : JSON.createObjectNode();
        return new OutboundMessage(id, to, text, queuedAt, attempts, metadata, o);
    }

    /** A new reply in the entry format; {@code messageId} null gets a random one, as before. */
    public static String newPayload(String messageId, String to, String text, ObjectNode metadata) {
        ObjectNode o = JSON.createObjectNode();
        o.put("message_id", messageId == null ? UUID.randomUUID().toString() : messageId);
        o.put("to", to);
        o.put("text", text);
        o.put("queued_at", System.currentTimeMillis() / 1000.0);
        o.put("attempts", 0);
        o.set("metadata", metadata == null ? JSON.createObjectNode() : metadata);
        return o.toString();
    }

    public static ObjectMapper json() {
        return JSON;
    }

    private static String text(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
