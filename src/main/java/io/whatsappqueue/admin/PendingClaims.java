package io.whatsappqueue.admin;

import io.whatsappqueue.stream.ConsumerLiveness;
import io.whatsappqueue.stream.ConsumerNames;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamConsumer;
import org.redisson.api.StreamGroup;

/**
 * POST /admin/streams/claim-pending-to-worker: hands entries held by stopped consumers to a live worker of
 * ours. The previous endpoint claimed to a phantom consumer nobody read for, at most 100 entries, reported 0
 * whatever it moved, and reset the entries' idle time. Here the target is live (or the answer is 409), every
 * page is claimed and counted, and the entries stay claimable so the worker processes them at once.
 */
public final class PendingClaims {
    private static final String CLAIM = LuaScripts.plain("admin/claim.lua");
    private static final int PAGE = 100;

    private final LuaScripts lua;
    private final StreamGroups groups;
    private final AdminInstances instances;
    private final ConsumerLiveness liveness;
    private final long claimIdleMs;

    public PendingClaims(RedissonClient redis, AdminInstances instances, ConsumerLiveness liveness, long claimIdleMs) {
        this.lua = new LuaScripts(redis);
        this.groups = new StreamGroups(redis);
        this.instances = instances;
        this.liveness = liveness;
        this.claimIdleMs = claimIdleMs;
    }

    /**
     * {@code workerConsumer}: the previous parameter {@code worker_consumer}; absent: the least busy live worker.
     * Reads: its arguments (header instance, worker_consumer). Sets: body (the JSON answer, returned).
     */
    public String claim(String instanceParam, String workerConsumer) {
        String instance = instances.resolve(instanceParam);
        String key = Keys.sendStream(instance);
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("instance", instance);
        Optional<StreamGroup> group = groups.workers(key);
        long pending = group.map(StreamGroup::getPending).orElse(0);
        if (pending == 0) {
            out.put("message", "No pending messages to claim");
            out.put("claimed", 0);
            out.put("claimed_count", 0);
            out.put("deleted_count", 0);
            out.putNull("to_consumer");
            out.put("next_id", "0-0");
            AdminAudit.action("claim-pending-to-worker", instance, "claimed", 0, "pending", 0);
            return out.toString();
        }
        StreamConsumer target = target(key, workerConsumer);
        long claimed = 0;
        long deleted = 0;
        String cursor = "0-0";
        // a page per call, each advancing at least PAGE entries through the PEL; 0-0 means the end was reached
        for (int i = 0; i <= pending / PAGE + 2; i++) {
            List<Object> r = lua.eval(CLAIM, RScript.ReturnType.MULTI, List.of(key), StreamGroups.GROUP,
                    target.getName(), String.valueOf(claimIdleMs), cursor, String.valueOf(PAGE));
            cursor = String.valueOf(r.get(0));
            claimed += GroupResets.num(r.get(1));
            deleted += GroupResets.num(r.get(2));
            if ("0-0".equals(cursor)) {
                break;
            }
        }
        long left = groups.workers(key).map(StreamGroup::getPending).orElse(0) - claimed;
        out.put("message", claimed == 0
                ? "No entry was idle longer than " + claimIdleMs + " ms (WA_STREAM_CLAIM_IDLE_MS): the pending"
                        + " entries are held by working consumers"
                : "Claimed " + claimed + " entries idle longer than " + claimIdleMs + " ms for live worker "
                        + target.getName() + ", which processes them on its next claim round");
        out.put("claimed", claimed);
        out.put("claimed_count", claimed);
        out.put("to_consumer", target.getName());
        out.put("next_id", cursor);
        out.put("deleted_count", deleted);
        out.put("min_idle_ms", claimIdleMs);
        out.put("left_with_working_consumers", Math.max(0, left));
        AdminAudit.action("claim-pending-to-worker", instance, "claimed", claimed, "deleted", deleted,
                "to_consumer", target.getName());
        return out.toString();
    }

    private StreamConsumer target(String key, String requested) {
        List<StreamConsumer> live = groups.consumers(key).stream()
                .filter(c -> c.getName().startsWith(ConsumerNames.PREFIX) && liveness.isAlive(key, c))
                .toList();
        if (requested != null && !requested.isBlank()) {
            return live.stream().filter(c -> c.getName().equals(requested.trim())).findFirst()
                    .orElseThrow(() -> new AdminException(409, "consumer_not_live", "worker_consumer '"
                            + printable(requested) + "' is not a live worker of ours in group " + StreamGroups.GROUP
                            + " of " + key + " (live: " + live.stream().map(StreamConsumer::getName).toList()
                            + "); entries claimed to it would not be processed"));
        }
        return live.stream()
                .min(Comparator.comparingInt(StreamConsumer::getPending).thenComparingLong(StreamConsumer::getIdleTime))
                .orElseThrow(() -> new AdminException(409, "no_live_consumer", "No live worker consumes " + key
                        + " (group " + StreamGroups.GROUP + "), so claimed entries would not be processed. Start a"
                        + " worker (WA_ROLE=worker or all): it takes over pending entries by itself."));
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "…" : p;
    }
}
