package io.whatsappqueue.inbound;

import java.util.ArrayList;
import java.util.List;

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
 * in the order they arrived. A burst of one chat's messages (WA_DEBOUNCE_MS, lua/debounce/fire.lua) is one entry:
 * the last message's fields plus {@code burst}, the array of every message's payload in order; it is answered as
 * one message ({@link #merge}) whose key.id is the last one's.
 */
public final class InboundEntries {
    public static final String PROPERTY = "WaInbound";
    /** Exchange property of a burst entry: its messages in order ({@code List<InboundEntry>}); unset otherwise. */
    public static final String BURST = "WaBurst";
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
     * Reads: body (the entry payload); header CamelRedisStreamInstance. Sets: property WaInbound (also returned),
     * WaBurst for a burst entry; throws PoisonEntryException.
     */
    public InboundEntry parse(Exchange exchange) {
        String instance = exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
        JsonNode o = object(exchange.getMessage().getBody(String.class));
        List<InboundEntry> burst = burst(o, instance);
        InboundEntry e = burst == null ? entry(o, instance) : merge(burst);
        exchange.setProperty(PROPERTY, e);
        if (burst != null) {
            exchange.setProperty(BURST, burst);
        }
        return e;
    }

    /**
     * One entry's message; a burst entry's messages {@link #merge merged}.
     *
     * @param streamInstance the instance whose stream held the entry; a payload naming another is refused
     */
    public static InboundEntry parse(String payload, String streamInstance) {
        JsonNode o = object(payload);
        List<InboundEntry> burst = burst(o, streamInstance);
        return burst == null ? entry(o, streamInstance) : merge(burst);
    }

    /**
     * A burst answered as one message: the last message's ids and recipient (so the reply's message_id derives from
     * the last key.id), the texts in order one per line. Media and quote context is kept for a burst of one; the
     * prompt of a longer burst says it per message ({@link UserPrompt#of(List)}).
     */
    static InboundEntry merge(List<InboundEntry> burst) {
        InboundEntry last = burst.get(burst.size() - 1);
        if (burst.size() == 1) {
            return last;
        }
        String text = String.join("\n", burst.stream().map(InboundEntry::text).toList());
        return new InboundEntry(last.instance(), last.keyId(), last.replyTo(), last.contactId(), text, null, null, null,
                last.receivedAt(), last.messageTime(), null);
    }

    /** The messages of a burst entry, or null when the entry is one message. */
    private static List<InboundEntry> burst(JsonNode o, String streamInstance) {
        JsonNode burst = o.get("burst");
        if (burst == null) {
            return null;
        }
        if (!burst.isArray() || burst.isEmpty()) {
            throw new PoisonEntryException("burst_not_array", "payload 'burst' is not a non-empty array");
        }
        List<InboundEntry> out = new ArrayList<>(burst.size());
        for (JsonNode m : burst) {
            if (!m.isObject()) {
                throw new PoisonEntryException("burst_not_array", "payload 'burst' holds something that is not an object");
            }
            out.add(entry(m, streamInstance));
        }
        return out;
    }

    private static JsonNode object(String payload) {
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
        return o;
    }

    private static InboundEntry entry(JsonNode o, String streamInstance) {
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
