package io.whatsappqueue.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;

/**
 * POST /admin/streams/dlq/replay: puts dead letters back on the send stream as fresh entries (attempts 0,
 * a new delivery count). Each entry moves in one Lua step (dlq-replay.lua). A message whose send marker
 * exists was already sent: it is left in the DLQ and listed as {@code already_sent}, never sent twice. Poison
 * entries (no usable to/text) cannot be sent and are listed as {@code not_replayable}.
 */
public final class DeadLetterReplay {
    private static final String REPLAY = LuaScripts.plain("admin/dlq-replay.lua");
    private static final Pattern STREAM_ID = Pattern.compile("^\\d{1,20}-\\d{1,20}$");
    private static final int MAX_IDS = 1000;
    private static final int BATCH = 100;
    private static final int LISTED = 200;
    /** Fields DeadLetters and the resets add; the replayed payload is the original one again. */
    private static final List<String> DEAD_LETTER_FIELDS = List.of("final_error", "failed_at", "error_detail",
            "last_http_status", "delivery_attempts", "source_stream_id");

    private final LuaScripts lua;
    private final StreamGroups groups;
    private final AdminInstances instances;
    private final long streamMaxLen;

    public DeadLetterReplay(RedissonClient redis, AdminInstances instances, long streamMaxLen) {
        this.lua = new LuaScripts(redis);
        this.groups = new StreamGroups(redis);
        this.instances = instances;
        this.streamMaxLen = streamMaxLen;
    }

    private record Item(String dlqId, String messageId, String payload, String notReplayable) {
    }

    private static final class Tally {
        final ArrayNode replayed = AdminJson.mapper().createArrayNode();
        final ArrayNode alreadySent = AdminJson.mapper().createArrayNode();
        final ArrayNode missing = AdminJson.mapper().createArrayNode();
        final ArrayNode notReplayable = AdminJson.mapper().createArrayNode();
        long replayedCount;
        long alreadySentCount;
        long missingCount;
        long notReplayableCount;
        long fullCount;
        long considered;

        void add(ArrayNode list, JsonNode value) {
            if (list.size() < LISTED) {
                list.add(value);
            }
        }
    }

    /** Reads: its arguments (header instance, body). Sets: body (the JSON answer, returned). */
    public String replay(String instanceParam, String body) {
        String instance = instances.resolve(instanceParam);
        JsonNode req = AdminJson.parse(body);
        if (req == null || !req.isObject()) {
            throw new AdminException(400, "invalid_body",
                    "Send a JSON body: {\"ids\":[\"<dead-letter id>\", …]} or {\"all\":true}.");
        }
        boolean all = req.path("all").isBoolean() && req.get("all").asBoolean();
        JsonNode ids = req.get("ids");
        if (all == (ids != null)) {
            throw new AdminException(400, "invalid_body",
                    "Send either {\"ids\":[\"<dead-letter id>\", …]} or {\"all\":true}, not both and not neither.");
        }
        String key = Keys.sendStream(instance);
        String dlq = Keys.deadLetters(instance);
        Tally t = new Tally();
        if (all) {
            replayAll(instance, dlq, t);
        } else {
            replayIds(instance, dlq, idList(ids), t);
        }
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("instance", instance);
        out.put("requested", all ? "all" : String.valueOf(ids.size()));
        out.put("considered", t.considered);
        out.put("replayed_count", t.replayedCount);
        out.set("replayed", t.replayed);
        out.put("already_sent_count", t.alreadySentCount);
        out.set("already_sent", t.alreadySent);
        out.put("missing_count", t.missingCount);
        out.set("missing", t.missing);
        out.put("not_replayable_count", t.notReplayableCount);
        out.set("not_replayable", t.notReplayable);
        out.put("stream_full", t.fullCount > 0);
        out.put("not_replayed_stream_full_count", t.fullCount);
        out.put("queue_depth", groups.length(key));
        out.put("dlq_depth", groups.length(dlq));
        out.put("message", t.replayedCount + " dead letters back on " + key + " with attempts reset"
                + (t.alreadySentCount > 0 ? "; " + t.alreadySentCount + " were already sent and stay in the DLQ" : "")
                + (t.fullCount > 0 ? "; stopped: the stream holds WA_STREAM_MAXLEN=" + streamMaxLen
                        + " entries, " + t.fullCount + " stay in the DLQ" : ""));
        AdminAudit.action("dlq-replay", instance, "replayed", t.replayedCount, "already_sent", t.alreadySentCount,
                "missing", t.missingCount, "not_replayable", t.notReplayableCount, "stream_full", t.fullCount);
        return out.toString();
    }

    private void replayIds(String instance, String dlq, List<String> ids, Tally t) {
        RStream<String, String> s = groups.stream(dlq);
        List<Item> batch = new ArrayList<>();
        for (String id : ids) {
            StreamMessageId sid = StreamScan.parse(id);
            Map<StreamMessageId, Map<String, String>> found = s.range(1, sid, sid);
            Map<String, String> fields = found.isEmpty() ? null : found.values().iterator().next();
            batch.add(fields == null ? new Item(id, "", "", null) : item(id, fields));
            if (batch.size() == BATCH) {
                run(instance, batch, t);
                batch.clear();
            }
        }
        run(instance, batch, t);
    }

    private void replayAll(String instance, String dlq, Tally t) {
        RStream<String, String> s = groups.stream(dlq);
        if (!s.isExists()) {
            return;
        }
        // only what is there now: entries dead-lettered while we replay wait for the next call
        StreamMessageId last = StreamScan.lastGenerated(s);
        StreamMessageId cursor = null;
        while (t.fullCount == 0) {
            Map<StreamMessageId, Map<String, String>> page = StreamScan.page(s, cursor, last, BATCH);
            if (page.isEmpty()) {
                return;
            }
            List<Item> batch = new ArrayList<>();
            page.forEach((id, fields) -> batch.add(item(id.toString(), fields)));
            cursor = page.keySet().stream().reduce((a, b) -> b).orElseThrow();
            run(instance, batch, t);
        }
    }

    private void run(String instance, List<Item> batch, Tally t) {
        List<Object> keys = new ArrayList<>(List.of(Keys.sendStream(instance), Keys.deadLetters(instance)));
        List<Object> args = new ArrayList<>(List.of(String.valueOf(streamMaxLen)));
        List<Item> sent = new ArrayList<>();
        for (Item i : batch) {
            t.considered++;
            if (i.notReplayable() != null) {
                t.notReplayableCount++;
                ObjectNode n = AdminJson.object();
                n.put("dlq_id", i.dlqId());
                n.put("reason", i.notReplayable());
                t.add(t.notReplayable, n);
                continue;
            }
            // a missing entry still goes through the script: it answers "missing" atomically
            keys.add(Keys.sent(instance, i.messageId().isEmpty() ? "none" : i.messageId()));
            args.add(i.dlqId());
            args.add(i.payload());
            sent.add(i);
        }
        if (sent.isEmpty()) {
            return;
        }
        List<Object> r = lua.eval(REPLAY, RScript.ReturnType.MULTI, keys, args.toArray());
        for (int k = 0; k < sent.size(); k++) {
            List<?> res = (List<?>) r.get(k);
            Item i = sent.get(k);
            switch (String.valueOf(res.get(0))) {
                case "replayed" -> {
                    t.replayedCount++;
                    ObjectNode n = AdminJson.object();
                    n.put("dlq_id", i.dlqId());
                    n.put("stream_id", String.valueOf(res.get(1)));
                    n.put("message_id", i.messageId());
                    t.add(t.replayed, n);
                }
                case "already_sent" -> {
                    t.alreadySentCount++;
                    t.add(t.alreadySent, AdminJson.mapper().getNodeFactory().textNode(i.dlqId()));
                }
                case "missing" -> {
                    t.missingCount++;
                    t.add(t.missing, AdminJson.mapper().getNodeFactory().textNode(i.dlqId()));
                }
                case "stream_full" -> t.fullCount++;
                default -> throw new IllegalStateException("dlq-replay.lua answered " + res.get(0));
            }
        }
    }

    /** The stream payload a dead letter came from, attempts reset; or why it cannot be sent. */
    private static Item item(String dlqId, Map<String, String> fields) {
        JsonNode p = AdminJson.parse(fields.get("payload"));
        if (p == null || !p.isObject()) {
            return new Item(dlqId, "", "", "the dead letter's payload is not a JSON object");
        }
        if (!text(p, "to") || !text(p, "text")) {
            return new Item(dlqId, "", "", "poison entry without 'to' and 'text' ("
                    + p.path("final_error").asText(p.path("error").asText("unknown")) + ")");
        }
        ObjectNode copy = ((ObjectNode) p).deepCopy();
        copy.remove(DEAD_LETTER_FIELDS);
        copy.put("attempts", 0);
        String messageId;
        if (text(p, "message_id")) {
            messageId = p.get("message_id").asText();
        } else {
            // the id the send route used for it, so its send marker is found and kept
            String source = p.path("source_stream_id").asText("");
            messageId = source.isEmpty() ? "dlq-" + dlqId : "stream-" + source;
            copy.put("message_id", messageId);
        }
        return new Item(dlqId, messageId, copy.toString(), null);
    }

    private static boolean text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank();
    }

    private static List<String> idList(JsonNode ids) {
        if (!ids.isArray() || ids.isEmpty()) {
            throw new AdminException(400, "invalid_body", "'ids' must be a non-empty array of dead-letter ids"
                    + " such as \"1759207939323-0\".");
        }
        if (ids.size() > MAX_IDS) {
            throw new AdminException(400, "invalid_body", "At most " + MAX_IDS + " ids per call; use {\"all\":true}"
                    + " to replay the whole DLQ.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !STREAM_ID.matcher(id.asText()).matches()) {
                throw new AdminException(400, "invalid_body", "'ids' holds something that is not a stream id"
                        + " (expected \"<milliseconds>-<sequence>\").");
            }
            if (!out.contains(id.asText())) {
                out.add(id.asText());
            }
        }
        return out;
    }
}
