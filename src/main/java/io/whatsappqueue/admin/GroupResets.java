package io.whatsappqueue.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamGroup;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.client.RedisBusyException;

/**
 * The three group resets of the previous admin API, keeping their paths and answer fields but not their
 * defects: what a reset skips goes to the DLQ ({@code final_error: skipped_by_reset}, replayable) instead
 * of being abandoned in the stream; entries still pending are never delivered a second time; reset-to-begin
 * does not re-send what was sent; destroy-recreate answers a missing stream with {@code destroyed: false}.
 */
public final class GroupResets {
    public static final String SKIPPED_BY_RESET = "skipped_by_reset";
    private static final String SKIP = LuaScripts.plain("admin/skip.lua");
    private static final String SETID_FORWARD = LuaScripts.plain("admin/setid-forward.lua");
    private static final String REQUEUE = LuaScripts.plain("admin/requeue.lua");
    private static final String RECREATE = LuaScripts.plain("admin/recreate-group.lua");

    private final LuaScripts lua;
    private final StreamGroups groups;
    private final AdminInstances instances;

    public GroupResets(RedissonClient redis, AdminInstances instances) {
        this.lua = new LuaScripts(redis);
        this.groups = new StreamGroups(redis);
        this.instances = instances;
    }

    /**
     * POST /admin/streams/reset-to-latest: skip the backlog. Every entry not in a worker's hands moves to the
     * DLQ; the group then points at the stream's last id. Pending entries finish normally.
     * Reads: its argument (header instance). Sets: body (the JSON answer, returned).
     */
    public String resetToLatest(String instanceParam) {
        String instance = instances.resolve(instanceParam);
        String key = Keys.sendStream(instance);
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("mode", "latest");
        out.put("instance", instance);
        if (!groups.exists(key)) {
            out.put("message", key + " does not exist: nothing to skip");
            out.set("before", cursorState(key));
            out.set("after", cursorState(key));
            out.put("moved_to_dlq", 0);
            out.put("kept_pending", 0);
            AdminAudit.action("reset-to-latest", instance, "moved_to_dlq", 0, "kept_pending", 0);
            return out.toString();
        }
        out.set("before", cursorState(key));
        boolean hasGroup = groups.workers(key).isPresent();
        StreamMessageId target = StreamScan.lastGenerated(groups.stream(key));
        long[] moved = skipToDeadLetters(instance, key, target, hasGroup, "reset-to-latest");
        if (hasGroup) {
            lua.eval(SETID_FORWARD, RScript.ReturnType.INTEGER, List.of(key), StreamGroups.GROUP, target.toString());
        }
        out.set("after", cursorState(key));
        out.put("moved_to_dlq", moved[0]);
        out.put("kept_pending", moved[1]);
        out.put("queue_depth", groups.length(key));
        out.put("dlq_depth", groups.length(Keys.deadLetters(instance)));
        out.put("message", "Group " + StreamGroups.GROUP + " now reads after " + target + "; " + moved[0]
                + " undelivered entries moved to " + Keys.deadLetters(instance) + " (final_error "
                + SKIPPED_BY_RESET + ", replay with /admin/streams/dlq/replay); " + moved[1]
                + " pending entries stay with their workers");
        AdminAudit.action("reset-to-latest", instance, "moved_to_dlq", moved[0], "kept_pending", moved[1]);
        return out.toString();
    }

    /**
     * POST /admin/streams/reset-to-begin: deliver again what the group acknowledged but is still in the
     * stream. Such entries are appended again (same payload and message_id) unless their send marker says they
     * were sent; pending entries are not touched, so nothing is delivered twice.
     * Reads: its argument (header instance). Sets: body (the JSON answer, returned).
     */
    public String resetToBegin(String instanceParam) {
        String instance = instances.resolve(instanceParam);
        String key = Keys.sendStream(instance);
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("mode", "begin");
        out.put("instance", instance);
        out.put("warning", "Entries already sent (send marker, 24 h) are removed, not re-sent; entries still"
                + " pending stay with their workers and are not delivered twice.");
        out.set("before", cursorState(key));
        Optional<StreamGroup> group = groups.workers(key);
        long requeued = 0;
        long alreadySent = 0;
        long keptPending = 0;
        if (group.isPresent()) {
            RStream<String, String> s = groups.stream(key);
            StreamMessageId last = group.get().getLastDeliveredId();
            StreamMessageId cursor = null;
            while (true) {
                Map<StreamMessageId, Map<String, String>> page = StreamScan.page(s, cursor, last, StreamScan.PAGE);
                if (page.isEmpty()) {
                    break;
                }
                List<Object> keys = new ArrayList<>(List.of(key, Keys.retries(key)));
                List<Object> args = new ArrayList<>(List.of(StreamGroups.GROUP));
                for (Map.Entry<StreamMessageId, Map<String, String>> e : page.entrySet()) {
                    String id = e.getKey().toString();
                    String payload = e.getValue().getOrDefault("payload", "");
                    keys.add(Keys.sent(instance, messageId(payload, id)));
                    args.add(id);
                    args.add(withMessageId(payload, id));
                    cursor = e.getKey();
                }
                List<Object> r = lua.eval(REQUEUE, RScript.ReturnType.MULTI, keys, args.toArray());
                requeued += num(r.get(0));
                alreadySent += num(r.get(1));
                keptPending += num(r.get(2));
            }
        }
        out.set("after", cursorState(key));
        out.put("requeued_count", requeued);
        out.put("already_sent_count", alreadySent);
        out.put("kept_pending", keptPending);
        out.put("queue_depth", groups.length(key));
        out.put("message", group.isEmpty()
                ? "Group " + StreamGroups.GROUP + " does not exist: nothing was delivered yet, so every entry is"
                        + " delivered when a worker starts"
                : requeued + " acknowledged entries still in the stream were queued again at its end, "
                        + alreadySent + " already sent were removed, " + keptPending
                        + " pending entries stay with their workers");
        AdminAudit.action("reset-to-begin", instance, "requeued", requeued, "already_sent", alreadySent,
                "kept_pending", keptPending);
        return out.toString();
    }

    /**
     * DELETE /admin/streams/destroy-recreate: a fresh group (stale consumers gone). The backlog moves to the DLQ
     * as with reset-to-latest; pending entries are put back with their consumers. A missing stream is left
     * missing: {@code destroyed: false}.
     * Reads: its argument (header instance). Sets: body (the JSON answer, returned).
     */
    public String destroyRecreate(String instanceParam) {
        String instance = instances.resolve(instanceParam);
        String key = Keys.sendStream(instance);
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("mode", "recreated");
        out.put("instance", instance);
        ObjectNode before = groupState(key);
        out.set("before", before);
        if (!groups.exists(key)) {
            out.put("destroyed", false);
            out.put("moved_to_dlq", 0);
            out.put("kept_pending", 0);
            out.set("after", groupState(key));
            out.put("message", key + " does not exist: nothing to destroy; workers create it and the group"
                    + " when they start");
            AdminAudit.action("destroy-recreate", instance, "destroyed", false, "moved_to_dlq", 0);
            return out.toString();
        }
        long[] moved = {0, 0};
        boolean destroyed;
        long restored = 0;
        if (groups.workers(key).isPresent()) {
            StreamMessageId target = StreamScan.lastGenerated(groups.stream(key));
            moved = skipToDeadLetters(instance, key, target, true, "destroy-recreate");
            List<Object> r = lua.eval(RECREATE, RScript.ReturnType.MULTI, List.of(key), StreamGroups.GROUP);
            destroyed = num(r.get(0)) == 1;
            restored = num(r.get(1));
        } else {
            destroyed = false;
        }
        if (!destroyed) {
            createGroupFromStart(key);
        }
        out.put("destroyed", destroyed);
        out.put("moved_to_dlq", moved[0]);
        out.put("kept_pending", restored);
        out.set("after", groupState(key));
        out.put("message", destroyed
                ? "Group " + StreamGroups.GROUP + " recreated; " + moved[0] + " undelivered entries moved to "
                        + Keys.deadLetters(instance) + " (final_error " + SKIPPED_BY_RESET + "); " + restored
                        + " pending entries kept with their consumers"
                : "Group " + StreamGroups.GROUP + " did not exist; created it reading from the start, so nothing"
                        + " in the stream is skipped");
        AdminAudit.action("destroy-recreate", instance, "destroyed", destroyed, "moved_to_dlq", moved[0],
                "kept_pending", restored);
        return out.toString();
    }

    /** Moves every non-pending entry up to {@code last} to the DLQ. Returns {moved, kept pending}. */
    private long[] skipToDeadLetters(String instance, String key, StreamMessageId last, boolean hasGroup, String mode) {
        RStream<String, String> s = groups.stream(key);
        String dlq = Keys.deadLetters(instance);
        long moved = 0;
        long pending = 0;
        StreamMessageId cursor = null;
        while (true) {
            Map<StreamMessageId, Map<String, String>> page = StreamScan.page(s, cursor, last, StreamScan.PAGE);
            if (page.isEmpty()) {
                return new long[] {moved, pending};
            }
            List<Object> args = new ArrayList<>(List.of(hasGroup ? StreamGroups.GROUP : ""));
            for (Map.Entry<StreamMessageId, Map<String, String>> e : page.entrySet()) {
                args.add(e.getKey().toString());
                args.add(deadLetter(e.getValue(), e.getKey().toString(), mode));
                cursor = e.getKey();
            }
            List<Object> r = lua.eval(SKIP, RScript.ReturnType.MULTI, List.of(key, dlq, Keys.retries(key)),
                    args.toArray());
            moved += num(r.get(0));
            pending += num(r.get(1));
        }
    }

    /** The DLQ layout of DeadLetters: the payload plus final_error, failed_at and the detail. */
    static String deadLetter(Map<String, String> fields, String streamId, String mode) {
        JsonNode payload = AdminJson.parse(fields.get("payload"));
        ObjectNode o;
        if (payload != null && payload.isObject()) {
            o = ((ObjectNode) payload).deepCopy();
        } else {
            o = AdminJson.object();
            ObjectNode raw = o.putObject("raw");
            fields.forEach(raw::put);
            o.put("error", "unparseable payload");
        }
        o.put("final_error", SKIPPED_BY_RESET);
        o.put("failed_at", System.currentTimeMillis() / 1000.0);
        o.put("error_detail", "skipped by " + mode + " (admin API)");
        o.put("delivery_attempts", 0);
        o.put("source_stream_id", streamId);
        return o.toString();
    }

    /** The id the send route uses for send-side idempotency (OutboundMessages.parse). */
    static String messageId(String payload, String streamId) {
        JsonNode p = AdminJson.parse(payload);
        JsonNode id = p == null ? null : p.get("message_id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? id.asText() : "stream-" + streamId;
    }

    /** A payload without message_id keeps its identity ("stream-<old id>") when it gets a new stream id. */
    static String withMessageId(String payload, String streamId) {
        JsonNode p = AdminJson.parse(payload);
        if (p == null || !p.isObject()) {
            return payload;
        }
        JsonNode id = p.get("message_id");
        if (id != null && id.isTextual() && !id.asText().isBlank()) {
            return payload;
        }
        ObjectNode copy = ((ObjectNode) p).deepCopy();
        copy.put("message_id", "stream-" + streamId);
        return copy.toString();
    }

    private void createGroupFromStart(String key) {
        try {
            groups.stream(key).createGroup(StreamCreateGroupArgs.name(StreamGroups.GROUP).id(StreamMessageId.ALL));
        } catch (RedisBusyException createdMeanwhile) {
            // a worker created it between our check and our create: the group exists, as wanted
            return;
        }
    }

    /** {last_delivered, pending} as the previous reset answers showed them. */
    private ObjectNode cursorState(String key) {
        ObjectNode o = AdminJson.object();
        Optional<StreamGroup> g = groups.workers(key);
        o.put("last_delivered", g.map(x -> x.getLastDeliveredId().toString()).orElse("no_group"));
        o.put("pending", g.map(StreamGroup::getPending).orElse(0));
        return o;
    }

    /** {groups_count, consumers, pending} as the previous destroy-recreate answer showed them. */
    private ObjectNode groupState(String key) {
        ObjectNode o = AdminJson.object();
        List<StreamGroup> all = groups.groups(key);
        Optional<StreamGroup> g = all.stream().filter(x -> x.getName().equals(StreamGroups.GROUP)).findFirst();
        o.put("groups_count", all.size());
        o.put("consumers", g.map(StreamGroup::getConsumers).orElse(0));
        o.put("pending", g.map(StreamGroup::getPending).orElse(0));
        return o;
    }

    static long num(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
    }
}
