package io.whatsappqueue.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.observe.BeatingConsumers;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.SendGate;
import io.whatsappqueue.stream.ConsumerLiveness;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamConsumer;
import org.redisson.api.StreamGroup;
import org.redisson.client.codec.StringCodec;

/**
 * GET /admin/streams/health: the previous system's fields and rule order, with live consumers counted
 * instead of every consumer ever seen, and what it could not see: Evolution disconnected or refusing our
 * key, sending paused, a stream at WA_STREAM_MAXLEN. {@code ?instance=all} answers for every instance.
 */
public final class StreamHealth {
    /** {@code ?instance=all}: every instance in one answer (an instance named "all" is in that answer too). */
    public static final String ALL = "all";

    private final RedissonClient redis;
    private final StreamGroups groups;
    private final AdminInstances instances;
    private final AdminSettings thresholds;
    private final ConsumerLiveness liveness;
    private final long streamMaxLen;

    public StreamHealth(RedissonClient redis, AdminInstances instances, AdminSettings thresholds,
                        ConsumerLiveness liveness, long streamMaxLen) {
        this.redis = redis;
        this.groups = new StreamGroups(redis);
        this.instances = instances;
        this.thresholds = thresholds;
        this.liveness = liveness;
        this.streamMaxLen = streamMaxLen;
    }

    /**
     * Route step: the JSON answer for {@code ?instance=} (absent: the first instance; "all": every one).
     * Reads: its argument (header instance). Sets: body (the JSON answer, returned).
     */
    public String report(String instanceParam) {
        if (instanceParam != null && ALL.equals(instanceParam.trim())) {
            return all().toString();
        }
        String instance = instances.resolve(instanceParam);
        ObjectNode h = health(instance);
        AdminAudit.read("health", instance, "status", h.get("status").asText());
        return h.toString();
    }

    ObjectNode all() {
        ObjectNode out = AdminJson.object();
        ArrayNode list = AdminJson.mapper().createArrayNode();
        ArrayNode issues = AdminJson.mapper().createArrayNode();
        String worst = "healthy";
        long depth = 0;
        long dlq = 0;
        for (String instance : instances.all()) {
            ObjectNode h = health(instance);
            list.add(h);
            worst = worse(worst, h.get("status").asText());
            depth += h.get("queue_depth").asLong();
            dlq += h.get("dlq_depth").asLong();
            h.withArray("issues").forEach(i -> issues.add(instance + ": " + i.asText()));
        }
        out.put("status", worst);
        out.put("instance", ALL);
        out.put("instances_count", list.size());
        out.put("queue_depth", depth);
        out.put("dlq_depth", dlq);
        out.set("issues", issues);
        out.set("instances", list);
        AdminAudit.read("health", ALL, "status", worst);
        return out;
    }

    ObjectNode health(String instance) {
        String key = Keys.sendStream(instance);
        long queueDepth = groups.length(key);
        long dlqDepth = groups.length(Keys.deadLetters(instance));
        Optional<StreamGroup> group = groups.workers(key);
        List<StreamConsumer> consumers = group.isPresent() ? groups.consumers(key) : List.of();
        long pending = group.map(StreamGroup::getPending).orElse(0);
        String lastDelivered = group.map(g -> g.getLastDeliveredId().toString()).orElse("no_group");
        String connection = redis.<String>getBucket(Keys.connection(instance), StringCodec.INSTANCE).get();
        // a worker's pause is published to Redis, so a web-only process answers health truthfully too
        String pause = SendGate.pauseSeenInRedis(redis, instance).orElse(null);

        ArrayNode consumerList = AdminJson.mapper().createArrayNode();
        int live = 0;
        for (StreamConsumer c : consumers) {
            boolean isLive = liveness.isAlive(key, c);
            live += isLive ? 1 : 0;
            ObjectNode n = consumerList.addObject();
            n.put("name", c.getName());
            n.put("pending", c.getPending());
            n.put("idle", c.getIdleTime());
            n.put("idle_ms", c.getIdleTime());
            n.put("idle_seconds", Math.round(c.getIdleTime() / 100.0) / 10.0);
            n.put("live", isLive);
        }
        // our workers beating but not (yet) in the group (a re-created group until their next read) are live
        java.util.Set<String> inGroup = new java.util.HashSet<>();
        consumers.forEach(c -> inGroup.add(c.getName()));
        for (java.util.Map.Entry<String, Long> beat : BeatingConsumers.of(redis, key).entrySet()) {
            if (inGroup.add(beat.getKey())) {
                live++;
                ObjectNode n = consumerList.addObject();
                n.put("name", beat.getKey());
                n.put("pending", 0);
                n.put("idle", beat.getValue());
                n.put("idle_ms", beat.getValue());
                n.put("idle_seconds", Math.round(beat.getValue() / 100.0) / 10.0);
                n.put("live", true);
                n.put("in_group", false);
            }
        }

        List<String[]> found = issues(queueDepth, dlqDepth, live, pending, consumers, connection, pause);
        ObjectNode h = AdminJson.object();
        h.put("status", status(found, live, queueDepth));
        h.put("instance", instance);
        h.put("queue_depth", queueDepth);
        h.put("dlq_depth", dlqDepth);
        h.put("consumers_count", live);
        h.put("pending", pending);
        h.put("last_delivered_id", lastDelivered);
        h.set("consumers", consumerList);
        ArrayNode issueList = h.putArray("issues");
        ArrayNode recommendations = h.putArray("recommendations");
        for (String[] issue : found) {
            issueList.add(issue[0]);
            if (issue[1] != null) {
                recommendations.add(issue[1]);
            }
        }
        h.put("stream_max_len", streamMaxLen);
        h.put("connection_state", connection == null ? "unknown" : connection);
        h.put("sending_paused", pause != null);
        if (pause != null) {
            h.put("sending_pause_reason", pause);
        } else {
            h.putNull("sending_pause_reason");
        }
        h.put("live_consumer_max_silence_ms", ConsumerLiveness.ALIVE_WITHIN_MS);
        ObjectNode t = h.putObject("thresholds");
        t.put("max_queue_depth", thresholds.maxQueueDepth);
        t.put("max_dlq_depth", thresholds.maxDlqDepth);
        t.put("stuck_idle_ms", thresholds.stuckIdleMs);
        return h;
    }

    /** The previous rules in their order, then what the previous system could not see. {code, recommendation}. */
    private List<String[]> issues(long queueDepth, long dlqDepth, int live, long pending,
                                  List<StreamConsumer> consumers, String connection, String pause) {
        List<String[]> out = new ArrayList<>();
        if (live == 0) {
            out.add(new String[] {"NO_ACTIVE_CONSUMERS", "Start or restart the worker process"});
        }
        if (queueDepth > thresholds.maxQueueDepth) {
            out.add(new String[] {"HIGH_QUEUE_DEPTH", "Scale up workers or investigate slow processing"});
        }
        if (pending > 0 && live == 0) {
            out.add(new String[] {"PENDING_WITHOUT_CONSUMER", "Use /claim-pending-to-worker to recover stuck messages"});
        }
        if (dlqDepth > thresholds.maxDlqDepth) {
            out.add(new String[] {"HIGH_DLQ_DEPTH", "Investigate DLQ messages for recurring failures"});
        }
        boolean stuck = false;
        for (StreamConsumer c : consumers) {
            if (c.getPending() > 0 && c.getIdleTime() > thresholds.stuckIdleMs) {
                out.add(new String[] {"STUCK_CONSUMER_" + c.getName(),
                        stuck ? null : "Restart stuck worker or use /claim-pending-to-worker"});
                stuck = true;
            }
        }
        if (queueDepth >= streamMaxLen) {
            out.add(new String[] {"STREAM_FULL", "The stream holds WA_STREAM_MAXLEN undelivered replies and new"
                    + " replies are refused: get the workers sending, or move the backlog to the DLQ with"
                    + " /reset-to-latest"});
        }
        String pauseKind = pause == null ? "" : pause.substring(0, Math.max(0, pause.indexOf(':')));
        if ("close".equals(connection) || pauseKind.equals(SendGate.Pause.DISCONNECTED.name().toLowerCase())) {
            out.add(new String[] {"EVOLUTION_DISCONNECTED", "Reconnect the WhatsApp session in Evolution"
                    + " (instance/connect, scan the QR code); replies stay queued meanwhile"});
        }
        if (pauseKind.equals(SendGate.Pause.UNAUTHORIZED.name().toLowerCase())
                || pauseKind.equals(SendGate.Pause.REDIRECT.name().toLowerCase())) {
            out.add(new String[] {"EVOLUTION_REJECTS_KEY", "Check EVOLUTION_API_KEY and EVOLUTION_SERVER_URL"
                    + " (use https:// if Evolution redirects); replies stay queued meanwhile"});
        }
        if (pause != null) {
            out.add(new String[] {"SENDING_PAUSED", "Sending resumes by itself when Evolution's connectionState"
                    + " answers open; see sending_pause_reason"});
        }
        return out;
    }

    /** The previous rule (no consumers: unhealthy), and a full stream, which refuses new replies. */
    private String status(List<String[]> issues, int live, long queueDepth) {
        if (issues.isEmpty()) {
            return "healthy";
        }
        return live > 0 && queueDepth < streamMaxLen ? "degraded" : "unhealthy";
    }

    private static String worse(String a, String b) {
        List<String> order = List.of("healthy", "degraded", "unhealthy");
        return order.indexOf(b) > order.indexOf(a) ? b : a;
    }
}
