package io.whatsappqueue.evolution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Set;

/**
 * Turns one Evolution webhook body into a {@link WebhookDecision}. Reads a Jackson tree rather than POJOs, so
 * unknown fields and version differences are tolerated, and checks the type of every field it uses.
 *
 * <p>Whatever the bytes, the result is a decision, never an exception: bodies that can never be processed
 * are rejected with 400/422 (which Evolution does not retry), harmless ones are ignored. Parser limits keep
 * hostile bodies (deep nesting, huge strings) from costing stack or memory.
 *
 * <p>Thread-safe; create one and share it.
 */
public final class WebhookEventParser {

    /** Real payloads nest about ten levels deep (a quoted buttons message); 64 leaves ample room. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 64;

    /**
     * WhatsApp text is capped near 65k characters, and base64 thumbnails are small. Larger strings only occur
     * when the webhook's {@code base64} option inlines whole media files, and those are skipped unread.
     */
    public static final int DEFAULT_MAX_STRING_LENGTH = 1_000_000;

    /**
     * The field in which Evolution's webhook {@code base64} option inlines whole media files
     * ({@code data.message.base64}, megabytes). Skipped unread wherever it occurs: the caption is beside it, and
     * the media is neither decoded nor copied.
     */
    static final String INLINE_MEDIA_FIELD = "base64";

    private static final TokenFilter WITHOUT_INLINE_MEDIA = new TokenFilter() {
        @Override
        public TokenFilter includeProperty(String name) {
            return INLINE_MEDIA_FIELD.equals(name) ? null : this;
        }

        // the filter would drop [] and {} otherwise, and a wrong-typed field must still read as wrong
        @Override
        public boolean includeEmptyArray(boolean contentsFiltered) {
            return true;
        }

        @Override
        public boolean includeEmptyObject(boolean contentsFiltered) {
            return true;
        }
    };

    private final ObjectMapper mapper;
    private final int maxNestingDepth;
    private final int maxStringLength;
    private final boolean bareMediaWork;

    public WebhookEventParser() {
        this(DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_STRING_LENGTH);
    }

    /**
     * @param bareMediaWork true when WA_NON_TEXT_REPLY is set: a voice note, sticker, or image, video or document
     *                      without caption is queued (for its canned answer) instead of ignored
     */
    public WebhookEventParser(boolean bareMediaWork) {
        this(DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_STRING_LENGTH, bareMediaWork);
    }

    public WebhookEventParser(int maxNestingDepth, int maxStringLength) {
        this(maxNestingDepth, maxStringLength, false);
    }

    private WebhookEventParser(int maxNestingDepth, int maxStringLength, boolean bareMediaWork) {
        this.bareMediaWork = bareMediaWork;
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringLength = maxStringLength;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength(maxStringLength)
                        .build())
                // Two "instance" keys could make a proxy and us disagree on which instance a body is for.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * @param body                 the raw request body (UTF-8 JSON); null reads as empty
     * @param allowedInstances     the instance names this deployment serves (exact, case-sensitive)
     * @param nowEpochSeconds      the current time
     * @param maxMessageAgeSeconds messages older than this are ignored as {@code stale}; 0 disables the check
     */
    public WebhookDecision parse(byte[] body, Set<String> allowedInstances, long nowEpochSeconds,
                                 long maxMessageAgeSeconds) {
        try {
            return parse(new ByteArrayInputStream(body == null ? new byte[0] : body), allowedInstances,
                    nowEpochSeconds, maxMessageAgeSeconds);
        } catch (IOException e) {
            // Reading from a byte array does no I/O; anything else here is a parser failure on this body.
            return WebhookDecision.reject(RejectReason.INVALID_JSON, "body could not be read as JSON");
        }
    }

    /**
     * Reads the body as it streams in, skipping inline media ({@value #INLINE_MEDIA_FIELD}) without reading it
     * into memory, so a 16 MB event costs kilobytes.
     *
     * @throws IOException when reading {@code body} itself fails (not a JSON problem: those are decisions)
     */
    public WebhookDecision parse(InputStream body, Set<String> allowedInstances, long nowEpochSeconds,
                                 long maxMessageAgeSeconds) throws IOException {
        Objects.requireNonNull(allowedInstances, "allowedInstances");
        if (maxMessageAgeSeconds < 0) {
            throw new IllegalArgumentException("maxMessageAgeSeconds must be >= 0, was " + maxMessageAgeSeconds);
        }
        JsonNode root;
        try (JsonParser parser = new FilteringParserDelegate(mapper.getFactory().createParser(body),
                WITHOUT_INLINE_MEDIA, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true)) {
            root = mapper.readTree(parser);   // FAIL_ON_TRAILING_TOKENS: reads to the end of the body
        } catch (StreamConstraintsException e) {
            return WebhookDecision.reject(RejectReason.INVALID_JSON, "body exceeds the parser limits (nesting depth "
                    + maxNestingDepth + ", string length " + maxStringLength + ")");
        } catch (JsonProcessingException e) {
            return WebhookDecision.reject(RejectReason.INVALID_JSON, "body is not valid JSON" + where(e.getLocation()));
        }
        if (root == null || root.isMissingNode()) {
            return WebhookDecision.reject(RejectReason.INVALID_JSON, "body is empty");
        }
        try {
            return decide(root, allowedInstances, nowEpochSeconds, maxMessageAgeSeconds, bareMediaWork);
        } catch (MalformedEventException e) {
            return WebhookDecision.reject(RejectReason.INVALID_EVENT, e.getMessage());
        }
    }

    private static WebhookDecision decide(JsonNode root, Set<String> allowedInstances, long now, long maxAge,
                                          boolean bareMediaWork) throws MalformedEventException {
        if (!root.isObject()) {
            throw new MalformedEventException("body must be a JSON object");
        }
        String event = JsonFields.nonBlankAt(root, "event");
        if (event == null) {
            throw new MalformedEventException("event must be a non-empty string");
        }
        String instance = JsonFields.string(root, "instance");
        if (instance == null) {
            throw new MalformedEventException("instance must be a string");
        }
        JsonNode data = root.get("data");
        if (data == null || !(data.isObject() || data.isArray())) {
            throw new MalformedEventException("data must be a JSON object or array");
        }
        if (!InstanceNames.isValid(instance)) {
            return WebhookDecision.reject(RejectReason.INVALID_INSTANCE_NAME, "instance name \""
                    + InstanceNames.safeForLog(instance) + "\" is not allowed: use 1-64 letters, digits, '_', '.'"
                    + " or '-', starting with a letter or digit");
        }
        if (!allowedInstances.contains(instance)) {
            return WebhookDecision.reject(RejectReason.UNKNOWN_INSTANCE, "instance \""
                    + InstanceNames.safeForLog(instance) + "\" is not served by this deployment");
        }
        String normalised = EventNames.normalise(event);
        return switch (normalised) {
            case EventNames.MESSAGES_UPSERT -> MessagesUpsert.decide(instance, data, now, maxAge, bareMediaWork);
            case EventNames.CONNECTION_UPDATE -> connectionUpdate(instance, data);
            case EventNames.SEND_MESSAGE -> MessagesUpsert.sentByApi(instance, data);
            case EventNames.MESSAGES_UPDATE -> messagesUpdate(instance, data);
            default -> notHandled(instance, normalised, data);
        };
    }

    private static WebhookDecision connectionUpdate(String instance, JsonNode data) throws MalformedEventException {
        if (!data.isObject()) {
            throw new MalformedEventException("connection.update needs an object data");
        }
        return ConnectionState.fromWire(JsonFields.string(data, "state"))
                .map(state -> WebhookDecision.connection(instance, state, statusReason(data.get("statusReason"))))
                .orElseGet(() -> WebhookDecision.ignore(IgnoreReason.UNKNOWN_CONNECTION_STATE, instance,
                        EventNames.CONNECTION_UPDATE, null, null, null, null));
    }

    /** Informational only (401 logged out, 403 banned, ...), so an odd value reads as absent. */
    private static Integer statusReason(JsonNode node) {
        if (node != null && node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node != null && node.isTextual() && node.textValue().matches("[0-9]{1,9}")) {
            return Integer.valueOf(node.textValue());
        }
        return null;
    }

    /**
     * A delivery or read receipt of one of our sends ({@code data.keyId}, {@code data.status}, {@code fromMe} true);
     * anything else (a receipt of an incoming message, an update without a keyId) is not handled.
     */
    private static WebhookDecision messagesUpdate(String instance, JsonNode data) {
        String keyId = data.isObject() ? JsonFields.nonBlankAt(data, "keyId") : null;
        String status = data.isObject() ? JsonFields.nonBlankAt(data, "status") : null;
        JsonNode fromMe = data.isObject() ? data.get("fromMe") : null;
        if (keyId == null || status == null || fromMe == null || !fromMe.asBoolean(false)) {
            return notHandled(instance, EventNames.MESSAGES_UPDATE, data);
        }
        return WebhookDecision.deliveryUpdate(instance, keyId, status);
    }

    /** Still reports key.id and fromMe when present, e.g. so a revoke can cancel a queued reply. */
    private static WebhookDecision notHandled(String instance, String event, JsonNode data) {
        JsonNode key = JsonFields.object(data, "key");
        JsonNode fromMe = key == null ? null : key.get("fromMe");
        return WebhookDecision.ignore(IgnoreReason.EVENT_NOT_HANDLED, instance, event,
                JsonFields.nonBlankAt(key, "id"),
                fromMe != null && fromMe.isBoolean() ? fromMe.booleanValue() : null, null, null);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
