package io.whatsappqueue.admin;

import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.logging.LogRedactor;
import io.whatsappqueue.logging.PhoneMask;
import io.whatsappqueue.redis.Keys;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/**
 * GET /admin/streams/dlq: dead letters parsed into reason, attempts, failed_at. Patient data stays withheld
 * (numbers masked, text left out) unless the caller asks for it with {@code reveal=true}; the previous
 * system's status page printed both to anyone.
 */
public final class DeadLetterBrowser {
    private static final Pattern STREAM_ID = Pattern.compile("^\\d{1,20}(-\\d{1,20})?$");
    private static final int DEFAULT_COUNT = 20;
    private static final int MAX_COUNT = 500;

    private final RedissonClient redis;
    private final StreamGroups groups;
    private final AdminInstances instances;

    public DeadLetterBrowser(RedissonClient redis, AdminInstances instances) {
        this.redis = redis;
        this.groups = new StreamGroups(redis);
        this.instances = instances;
    }

    /** Reads: its arguments (header instance, count, from, reveal). Sets: body (the JSON answer, returned). */
    public String list(String instanceParam, String countParam, String fromParam, String revealParam) {
        String instance = instances.resolve(instanceParam);
        int count = count(countParam);
        StreamMessageId from = from(fromParam);
        boolean reveal = flag("reveal", revealParam);
        String dlq = Keys.deadLetters(instance);
        RStream<String, String> s = groups.stream(dlq);
        Map<StreamMessageId, Map<String, String>> page = s.isExists()
                ? s.range(count + 1, from, StreamMessageId.MAX) : Map.of();
        ObjectNode out = AdminJson.object();
        out.put("instance", instance);
        out.put("dlq_depth", groups.length(dlq));
        out.put("revealed", reveal);
        ArrayNode entries = AdminJson.mapper().createArrayNode();
        String next = null;
        for (Map.Entry<StreamMessageId, Map<String, String>> e : page.entrySet()) {
            if (entries.size() == count) {
                next = e.getKey().toString();
                break;
            }
            entries.add(entry(instance, e.getKey().toString(), e.getValue(), reveal));
        }
        out.put("count", entries.size());
        if (next == null) {
            out.putNull("next_from");
        } else {
            out.put("next_from", next);
        }
        out.set("entries", entries);
        AdminAudit.action("dlq-list", instance, "count", entries.size(), "revealed", reveal);
        return out.toString();
    }

    private ObjectNode entry(String instance, String id, Map<String, String> fields, boolean reveal) {
        ObjectNode n = AdminJson.object();
        n.put("id", id);
        JsonNode p = AdminJson.parse(fields.get("payload"));
        if (p == null || !p.isObject()) {
            n.put("reason", "unparseable dead letter");
            n.put("poison", true);
            if (reveal) {
                ObjectNode raw = n.putObject("raw");
                fields.forEach(raw::put);
            }
            return n;
        }
        String messageId = p.path("message_id").asText("");
        boolean poison = !p.path("to").isTextual() || !p.path("text").isTextual();
        n.put("message_id", messageId);
        n.put("reason", p.path("final_error").asText(p.path("error").asText("unknown")));
        n.put("attempts", p.has("delivery_attempts") ? p.get("delivery_attempts").asInt() : p.path("attempts").asInt(0));
        if (p.path("failed_at").isNumber()) {
            double at = p.get("failed_at").asDouble();
            n.put("failed_at", at);
            n.put("failed_at_iso", AdminJson.iso(Math.round(at * 1000)));
        } else {
            n.putNull("failed_at");
        }
        if (p.path("last_http_status").isNumber()) {
            n.put("last_http_status", p.get("last_http_status").asInt());
        }
        String detail = p.path("error_detail").asText(null);
        if (detail != null) {
            n.put("error_detail", reveal ? detail : LogRedactor.redact(detail));
        }
        n.put("source_stream_id", p.path("source_stream_id").asText(null));
        if (p.path("queued_at").isNumber()) {
            n.put("queued_at", p.get("queued_at").asDouble());
        }
        n.put("poison", poison);
        if (poison) {
            if (reveal) {
                n.set("raw", p.get("raw"));
            }
            return n;
        }
        String to = p.get("to").asText();
        String text = p.get("text").asText();
        n.put("to", reveal ? to : PhoneMask.mask(to));
        n.put("text_length", text.length());
        if (reveal) {
            n.put("text", text);
        } else {
            n.put("text_withheld", true);
        }
        if (!messageId.isEmpty()) {
            n.put("already_sent", redis.getBucket(Keys.sent(instance, messageId), StringCodec.INSTANCE).isExists());
        }
        return n;
    }

    private static int count(String v) {
        if (v == null || v.isBlank()) {
            return DEFAULT_COUNT;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= MAX_COUNT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, with the allowed range
        }
        throw AdminException.badParameter("count must be a whole number from 1 to " + MAX_COUNT + " (default "
                + DEFAULT_COUNT + ").");
    }

    private static StreamMessageId from(String v) {
        if (v == null || v.isBlank() || "-".equals(v.trim())) {
            return StreamMessageId.MIN;
        }
        if (!STREAM_ID.matcher(v.trim()).matches()) {
            throw AdminException.badParameter("from must be a dead-letter id such as 1759207939323-0 (the"
                    + " next_from of the previous page).");
        }
        return StreamScan.parse(v.trim());
    }

    static boolean flag(String name, String v) {
        if (v == null || v.isBlank() || "false".equalsIgnoreCase(v.trim())) {
            return false;
        }
        if ("true".equalsIgnoreCase(v.trim())) {
            return true;
        }
        throw AdminException.badParameter(name + " must be true or false.");
    }
}
