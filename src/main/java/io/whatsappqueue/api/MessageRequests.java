package io.whatsappqueue.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.admin.AdminException;
import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.redis.Keys;

/**
 * Reads and validates a {@code POST /api/messages} body (DESIGN §9). A body that is not a JSON object, or a field
 * missing or of the wrong type, is 400 naming the field; a value that is well-formed but unacceptable (a number of
 * the wrong length, an empty text, send_at more than 30 days ahead, an instance not served) is 422 naming it.
 */
public final class MessageRequests {
    /** send_at may be at most this far ahead (DESIGN §9). */
    static final long MAX_AHEAD_MS = 30L * 86_400_000L;
    static final int MAX_IDEMPOTENCY_KEY = 200;
    static final int MAX_METADATA_BYTES = 4096;
    /**
     * The longest text accepted: WhatsApp's limit for one text message. A text longer than WA_MAX_REPLY_CHARS is
     * not refused; it is sent in parts ({@link MessageParts}).
     */
    static final int MAX_TEXT_CHARS = 65_536;
    /** 8-15 digits, a leading '+' allowed (E.164 without formatting). */
    private static final Pattern DIGITS = Pattern.compile("^\\+?[0-9]{8,15}$");
    /** A person's WhatsApp id: a phone JID (with or without device) or a LID. */
    private static final Pattern JID = Pattern.compile("^[0-9]{5,20}(:[0-9]{1,3})?@(s\\.whatsapp\\.net|lid)$");
    private static final Set<String> FIELDS = Set.of("instance", "to", "text", "send_at", "idempotency_key", "metadata");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServedInstances served;

    public MessageRequests(ServedInstances served) {
        this.served = served;
    }

    /**
     * The validated request of {@code body} at {@code nowMs} (epoch ms; a past send_at becomes 0, meaning now).
     *
     * @throws AdminException 400 or 422 naming the field that is missing, malformed or unacceptable
     */
    public MessageRequest parse(String body, long nowMs) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AdminException(400, "invalid_body", "The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new AdminException(400, "invalid_body", "The body must be a JSON object with 'instance', 'to' and 'text'.");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new AdminException(400, "unknown_field", "Field '" + InstanceNames.safeForLog(f)
                        + "' is not part of a message; use " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ".");
            }
        }
        String instance = instance(requiredString(root, "instance"));
        String to = to(requiredString(root, "to"));
        String text = requiredString(root, "text");
        if (text.isBlank()) {
            throw new AdminException(422, "invalid_text", "'text' must not be empty.");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new AdminException(422, "text_too_long", "'text' has " + text.length() + " characters; at most "
                    + MAX_TEXT_CHARS + " (WhatsApp's limit for one text) are accepted. Texts longer than"
                    + " WA_MAX_REPLY_CHARS are sent in parts.");
        }
        long sendAt = sendAt(root.get("send_at"), nowMs);
        String idem = idempotencyKey(root.get("idempotency_key"));
        String metadata = metadata(root.get("metadata"));
        String hash = Keys.sha256(instance + "\n" + to + "\n" + text + "\n" + sendAt + "\n" + metadata);
        return new MessageRequest(instance, to, text, sendAt, idem, metadata, hash);
    }

    private String instance(String name) {
        String n = name.trim();
        if (!InstanceNames.isValid(n)) {
            throw new AdminException(422, "invalid_instance", "'instance' is not a valid instance name: '"
                    + InstanceNames.safeForLog(n) + "' (pattern " + InstanceNames.PATTERN.pattern() + ").");
        }
        if (!served.serves(n)) {
            throw new AdminException(422, "unknown_instance", "'instance' '" + n
                    + "' is not served by this deployment (not in wa:instances; see GET /admin/instances).");
        }
        return n;
    }

    private static String to(String to) {
        String t = to.trim();
        if (DIGITS.matcher(t).matches()) {
            return t.startsWith("+") ? t.substring(1) : t;
        }
        if (JID.matcher(t).matches()) {
            return t;
        }
        throw new AdminException(422, "invalid_to", "'to' must be 8 to 15 digits (a leading '+' allowed, no spaces)"
                + " or a WhatsApp id such as 447700900123@s.whatsapp.net or 123456789@lid.");
    }

    /** Epoch seconds (number) or ISO-8601 with an offset; in the past means now (0). */
    private static long sendAt(JsonNode v, long nowMs) {
        if (v == null || v.isNull()) {
            return 0;
        }
        long ms;
        if (v.isNumber()) {
            double s = v.asDouble();
            if (!Double.isFinite(s) || s < 0 || s > 1e11) {
                throw new AdminException(422, "invalid_send_at", "'send_at' as a number is epoch seconds; got " + v + ".");
            }
            ms = Math.round(s * 1000);
        } else if (v.isTextual()) {
            try {
                ms = OffsetDateTime.parse(v.asText().trim()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new AdminException(400, "invalid_send_at", "'send_at' must be ISO-8601 with an offset"
                        + " (2026-12-01T09:30:00+01:00, or ...Z) or epoch seconds.");
            }
        } else {
            throw new AdminException(400, "invalid_send_at", "'send_at' must be an ISO-8601 string or epoch seconds.");
        }
        if (ms > nowMs + MAX_AHEAD_MS) {
            throw new AdminException(422, "send_at_too_far", "'send_at' is " + Instant.ofEpochMilli(ms)
                    + ", more than 30 days ahead.");
        }
        return ms <= nowMs ? 0 : ms;
    }

    private static String idempotencyKey(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > MAX_IDEMPOTENCY_KEY) {
            throw new AdminException(400, "invalid_idempotency_key", "'idempotency_key' must be a string of 1 to "
                    + MAX_IDEMPOTENCY_KEY + " characters.");
        }
        return v.asText();
    }

    private static String metadata(JsonNode v) {
        if (v == null || v.isNull()) {
            return "{}";
        }
        if (!v.isObject()) {
            throw new AdminException(400, "invalid_metadata", "'metadata' must be a JSON object.");
        }
        String json = v.toString();
        if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            throw new AdminException(422, "metadata_too_large", "'metadata' is larger than " + MAX_METADATA_BYTES
                    + " bytes as JSON.");
        }
        return json;
    }

    private static String requiredString(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            throw new AdminException(400, "missing_field", "'" + field + "' is required.");
        }
        if (!v.isTextual()) {
            throw new AdminException(400, "invalid_field", "'" + field + "' must be a string.");
        }
        return v.asText();
    }
}
