package io.whatsappqueue.tracing;

import io.whatsappqueue.send.OutboundMessages;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Message;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of a stream entry, carried in its payload's
 * {@code metadata} object (DESIGN §6), so one patient message is one trace across the web and worker processes.
 *
 * <p>Camel's tracer (camel-opentelemetry2) injects the context of the span sending to {@code redis-stream:} as
 * message headers; the producer copies them into the entry ({@link #withContext}). The consumer copies them back
 * into headers ({@link #toHeaders}) before the route starts, where the tracer extracts them and starts the route's
 * span as a child. With tracing off nothing injects them, so nothing is written and entries are unchanged.
 *
 * <p>Values come from outside (an HTTP caller's headers, entries other systems wrote): only a well-formed
 * {@code traceparent} (version-traceid-spanid-flags, lowercase hex, ids not all zero) is carried, with a
 * {@code tracestate} of at most 512 printable characters. Anything else is dropped, never an error.
 */
public final class EntryTraceContext {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final ObjectMapper JSON = OutboundMessages.json(); // the project's one mapper
    private static final Pattern TRACEPARENT_FORMAT =
            Pattern.compile("[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");
    private static final Pattern TRACESTATE_FORMAT = Pattern.compile("[\\x20-\\x7e]{1,512}");
    /** Cheap test before parsing a payload: an entry without it carries no context (most, with tracing off). */
    private static final String MARKER = "\"" + TRACEPARENT + "\"";

    private EntryTraceContext() {
    }

    /** The valid trace context in {@code m}'s headers ({@code traceparent}, maybe {@code tracestate}); empty if none. */
    public static Map<String, String> ofHeaders(Message m) {
        return valid(m.getHeader(TRACEPARENT, String.class), m.getHeader(TRACESTATE, String.class));
    }

    /** The valid trace context among {@code fields} (a status record, say); empty if none. */
    public static Map<String, String> of(Map<String, String> fields) {
        return valid(fields.get(TRACEPARENT), fields.get(TRACESTATE));
    }

    /**
     * Producer side: {@code payload} with the trace context of {@code m}'s headers in its {@code metadata} object
     * (created when missing; an older context there is replaced). Unchanged when the headers hold none or the
     * payload is not a JSON object (the consumer refuses such a payload anyway).
     */
    public static String withContext(String payload, Message m) {
        Map<String, String> context = ofHeaders(m);
        if (context.isEmpty() || payload == null) {
            return payload;
        }
        try {
            JsonNode root = JSON.readTree(payload);
            if (!(root instanceof ObjectNode o)) {
                return payload;
            }
            JsonNode md = o.get("metadata");
            putInto(md instanceof ObjectNode existing ? existing : o.putObject("metadata"), context);
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return payload;
        }
    }

    /** Puts {@code context} into an entry's {@code metadata} object (an older context there is replaced). */
    public static void putInto(ObjectNode metadata, Map<String, String> context) {
        if (context.isEmpty()) {
            return;
        }
        metadata.remove(TRACESTATE);
        context.forEach(metadata::put);
    }

    /**
     * Consumer side: the trace context in the payload's {@code metadata} becomes headers {@code traceparent} and
     * {@code tracestate}, where Camel's tracer finds its parent. A payload without one, or unreadable, sets nothing.
     */
    public static void toHeaders(String payload, Message m) {
        if (payload == null || !payload.contains(MARKER)) {
            return;
        }
        JsonNode metadata;
        try {
            metadata = JSON.readTree(payload).path("metadata");
        } catch (JsonProcessingException e) {
            return;     // the route's parse step dead-letters it with the reason
        }
        valid(metadata.path(TRACEPARENT).textValue(), metadata.path(TRACESTATE).textValue()).forEach(m::setHeader);
    }

    /** The W3C trace id (32 hex digits) of a valid {@code traceparent}, or null. */
    public static String traceId(String traceparent) {
        return traceparent != null && TRACEPARENT_FORMAT.matcher(traceparent).matches()
                ? traceparent.substring(3, 35) : null;
    }

    private static Map<String, String> valid(String traceparent, String tracestate) {
        if (traceparent == null || !TRACEPARENT_FORMAT.matcher(traceparent).matches()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(TRACEPARENT, traceparent);
        if (tracestate != null && TRACESTATE_FORMAT.matcher(tracestate).matches()) {
            out.put(TRACESTATE, tracestate);
        }
        return out;
    }
}
