package io.whatsappqueue.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.admin.AdminException;
import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.logging.PhoneMask;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.tracing.EntryTraceContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clinic systems' message API (DESIGN §9, routes/api.camel.yaml): send or schedule, read the status, cancel.
 * Answers are JSON bodies for {@code direct:admin-respond}; refusals are {@link AdminException}s with their status.
 */
public final class ApiMessages {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");
    /** Exchange property read by direct:admin-respond: the HTTP status of a success other than 200. */
    private static final String STATUS = "WaAdminStatus";
    private static final String[] TIMES = {"created_at", "send_at", "sent_at", "delivered_at", "read_at"};

    private final MessageRequests requests;
    private final MessageStatuses statuses;
    private final ScheduledMessages scheduled;
    private final ServedInstances served;
    private final int maxPartChars;

    /** @param maxPartChars WA_MAX_REPLY_CHARS: a longer text is sent in parts of at most this many chars */
    public ApiMessages(MessageRequests requests, MessageStatuses statuses, ScheduledMessages scheduled,
                       ServedInstances served, int maxPartChars) {
        this.maxPartChars = maxPartChars;
        this.requests = requests;
        this.statuses = statuses;
        this.scheduled = scheduled;
        this.served = served;
    }

    /**
     * POST /api/messages: 202 {message_id, status} for a new message; 200 with the first message's id and current
     * status for an idempotency_key seen within 24 h with the same request; 409 for the same key with another one.
     */
    public String submit(String body, Exchange exchange) {
        long now = System.currentTimeMillis();
        MessageRequest r = requests.parse(body, now);
        boolean later = r.sendAtMs() > 0;
        String id = "api-" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("instance", r.instance());
        fields.put("to", r.to());
        fields.put("text", r.text());
        fields.put("metadata", r.metadataJson());
        fields.put("source", "api");
        // the limit the text is cut at when it enters the stream, fixed now so a restart with another
        // WA_MAX_REPLY_CHARS cannot change the parts of a message already accepted
        fields.put(ScheduledMessages.PART_CHARS, String.valueOf(maxPartChars));
        // the request's trace context (tracing on), kept beside the client's metadata until the message is queued
        fields.putAll(EntryTraceContext.ofHeaders(exchange.getMessage()));
        if (later) {
            fields.put("send_at", Instant.ofEpochMilli(r.sendAtMs()).toString());
        }
        MessageStatuses.Accepted a = statuses.accept(r.instance(), id, later ? "scheduled" : "queued",
                later ? r.sendAtMs() : now, r.idempotencyKey(), r.requestHash(), fields);
        ObjectNode answer = OutboundMessages.json().createObjectNode();
        if (!a.fresh()) {
            if (!r.requestHash().equals(a.requestHash())) {
                throw new AdminException(409, "idempotency_conflict", "'idempotency_key' was used within 24 h for"
                        + " another request (message " + a.messageId() + "); use a new key for a different message.");
            }
            String status = statuses.read(r.instance(), a.messageId()).getOrDefault("status", "queued");
            if ("queued".equals(status)) {
                // the first request may have ended before its message reached the stream: adding again is a no-op otherwise
                enqueueNow(r.instance(), a.messageId());
            }
            answer.put("message_id", a.messageId());
            answer.put("status", status);
            LOG.info("outcome=api_duplicate instance={} message_id={}", r.instance(), a.messageId());
            return answer.toString();
        }
        if (!later) {
            enqueueNow(r.instance(), id);
        }
        LOG.info("outcome={} instance={} message_id={} to={}", later ? "api_scheduled" : "api_queued", r.instance(), id,
                PhoneMask.mask(r.to()));
        exchange.setProperty(STATUS, 202);
        answer.put("message_id", id);
        answer.put("status", later ? "scheduled" : "queued");
        return answer.toString();
    }

    /** GET /api/messages/{id}: the status record; {@code to} masked unless reveal=true. 404 when unknown or expired. */
    public String status(String messageId, String instance, String reveal) {
        Located m = locate(messageId, instance);
        Map<String, String> r = m.record();
        ObjectNode o = OutboundMessages.json().createObjectNode();
        o.put("message_id", messageId);
        o.put("instance", m.instance());
        String to = r.get("to");
        o.put("to", "true".equalsIgnoreCase(reveal) ? to : PhoneMask.mask(to));
        o.put("status", r.get("status"));
        o.put("attempts", Integer.parseInt(r.getOrDefault("attempts", "0")));
        for (String t : TIMES) {
            putOrNull(o, t, r.get(t));
        }
        putOrNull(o, "failed_reason", r.get("failed_reason"));
        putOrNull(o, "evolution_id", r.get("evolution_id"));
        return o.toString();
    }

    /** DELETE /api/messages/{id}: 200 {status: cancelled} while scheduled or queued; 409 once it has left. */
    public String cancel(String messageId, String instance) {
        Located m = locate(messageId, instance);
        String outcome = statuses.cancel(m.instance(), messageId);
        switch (outcome) {
            case "cancelled" -> {
                LOG.info("outcome=api_cancelled instance={} message_id={}", m.instance(), messageId);
                ObjectNode o = OutboundMessages.json().createObjectNode();
                o.put("message_id", messageId);
                o.put("status", "cancelled");
                return o.toString();
            }
            case "already_sent" -> throw new AdminException(409, "already_sent",
                    "The message has already been handed to WhatsApp; it can no longer be cancelled.");
            case "unknown" -> throw unknown(messageId);
            default -> throw new AdminException(409, "already_" + outcome,
                    "The message is " + outcome + " already; there is nothing to cancel.");
        }
    }

    private record Located(String instance, Map<String, String> record) {
    }

    /** The record in {@code instance}, or in whichever served instance holds it when none is named. */
    private Located locate(String messageId, String instance) {
        if (messageId == null || messageId.isBlank() || messageId.length() > 200) {
            throw new AdminException(400, "invalid_message_id", "'message_id' must be 1 to 200 characters.");
        }
        if (instance != null && !instance.isBlank()) {
            String n = instance.trim();
            if (!InstanceNames.isValid(n) || !served.serves(n)) {
                throw new AdminException(422, "unknown_instance", "'instance' '" + InstanceNames.safeForLog(n)
                        + "' is not served by this deployment.");
            }
            Map<String, String> r = statuses.read(n, messageId);
            if (r.isEmpty()) {
                throw unknown(messageId);
            }
            return new Located(n, r);
        }
        for (String n : served.instances()) {
            Map<String, String> r = statuses.read(n, messageId);
            if (!r.isEmpty()) {
                return new Located(n, r);
            }
        }
        throw unknown(messageId);
    }

    private static AdminException unknown(String messageId) {
        return new AdminException(404, "unknown_message", "No message '" + InstanceNames.safeForLog(messageId)
                + "' is known (statuses are kept WA_STATUS_TTL_DAYS days).");
    }

    private void enqueueNow(String instance, String messageId) {
        try {
            scheduled.moveOne(instance, messageId);
        } catch (RuntimeException e) {
            // accepted and kept in wa:<inst>:scheduled, due now: the scheduled-move timer adds it on its next tick
            LOG.warn("outcome=api_enqueue_deferred instance={} message_id={} reason={}", instance, messageId,
                    e.getClass().getSimpleName());
        }
    }

    private static void putOrNull(ObjectNode o, String field, String value) {
        if (value == null || value.isEmpty()) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }
}
