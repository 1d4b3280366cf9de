package io.whatsappqueue.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.evolution.InboundMessage;
import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.stream.PoisonEntryException;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;

/**
 * The inbound stream's entry format: one field {@code payload} holding compact JSON
 * {@code {instance, key_id, reply_to, contact_id, text, media_type, quoted_text, quoted_id, received_at,
 * message_timestamp, choice_id}}; {@code text} is empty only for media without text, which then has a
 * {@code media_type}. {@code contact_id} is the consumer's order field, so one contact's messages are answered
 * in the order they arrived.
 */
public final class InboundEntries {
    public static final String PROPERTY = "WaInbound";
    public static final String ORDER_FIELD = "contact_id";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The payload of a message the webhook accepted at {@code receivedAtMillis}. */
    public static String payload(InboundMessage m, long receivedAtMillis) {
        ObjectNode o = JSON.createObjectNode();
        o.put("instance", m.instance());
        o.put("key_id", m.messageKeyId());
        o.put("reply_to", m.replyTo());
        o.put(ORDER_FIELD, m.contactId());
        o.put("text", m.text());
        if (m.mediaType() != null) {
            o.put("media_type", m.mediaType());
        }
        if (m.quoted() != null) {
            if (m.quoted().text() != null) {
                o.put("quoted_text", m.quoted().text());
            }
            if (m.quoted().stanzaId() != null) {
                o.put("quoted_id", m.quoted().stanzaId());
            }
        }
        o.put("received_at", receivedAtMillis / 1000.0);
        if (m.messageTimestamp() != null) {
            o.put("message_timestamp", m.messageTimestamp());
        }
        if (m.choiceId() != null) {
            o.put("choice_id", m.choiceId());
        }
        return o.toString();
    }

    /**
     * Route step: the entry's payload becomes an {@link InboundEntry} in property {@value #PROPERTY}.
     * Reads: body (the entry payload); header CamelRedisStreamInstance. Sets: property WaInbound (also returned);
     * throws PoisonEntryException.
     */
    public InboundEntry parse(Exchange exchange) {
        String instance = exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
        InboundEntry e = parse(exchange.getMessage().getBody(String.class), instance);
        exchange.setProperty(PROPERTY, e);
        return e;
    }

    /**
     * @param streamInstance the instance whose stream held the entry; a payload naming another is refused
     */
    public static InboundEntry parse(String payload, String streamInstance) {
        if (payload == null) {
            throw new PoisonEntryException("missing_payload", "the entry has no 'payload' field");
        }
        JsonNode o;
        try {
            o = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new PoisonEntryException("json_decode_error", e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new PoisonEntryException("payload_not_object", "payload is JSON but not an object");
        }
        String instance = text(o, "instance");
        if (instance == null || !instance.equals(streamInstance)) {
            throw new PoisonEntryException("wrong_instance", "payload instance \"" + InstanceNames.safeForLog(instance)
                    + "\" is not the stream's");
        }
        String keyId = required(o, "key_id");
        String replyTo = required(o, "reply_to");
        String contactId = required(o, ORDER_FIELD);
        String mediaType = text(o, "media_type");
        // media without text (WA_NON_TEXT_REPLY) is the one entry whose text may be empty
        String text = mediaType != null && o.path("text").isTextual() && o.get("text").asText().isEmpty()
                ? "" : required(o, "text");
        double receivedAt = o.path("received_at").isNumber() ? o.get("received_at").asDouble() : 0;
        Long messageTime = o.path("message_timestamp").canConvertToLong() ? o.get("message_timestamp").asLong() : null;
        return new InboundEntry(instance, keyId, replyTo, contactId, text, mediaType,
                text(o, "quoted_text"), text(o, "quoted_id"), receivedAt, messageTime, text(o, "choice_id"));
    }

    private static String required(JsonNode o, String field) {
        String v = text(o, field);
        if (v == null) {
            throw new PoisonEntryException("missing_" + field, "payload has no non-empty string '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
