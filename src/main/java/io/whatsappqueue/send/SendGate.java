package io.whatsappqueue.send;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.evolution.EvolutionFailure;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.DispatchGate;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-instance send gate. Sending pauses when Evolution refuses our key (401) or redirects, when its
 * WhatsApp connection is down (a "Connection Closed" answer, or connection.update close from the webhook),
 * or when {@code WA_OUTAGE_THRESHOLD} consecutive sends fail the same transient way. While paused, entries
 * stay pending and their attempts are not used up; the probe route asks connectionState with back-off and
 * the gate opens by itself when Evolution says {@code open}.
 */
public final class SendGate implements DispatchGate {
    private static final Logger LOG = LoggerFactory.getLogger(SendGate.class);
    private static final long FIRST_PROBE_MS = 1000;
    private static final long MAX_CONFIG_PROBE_MS = 300_000;
    /** The pause record in Redis outlives a dead worker by at most this. */
    private static final java.time.Duration PAUSE_RECORD_TTL = java.time.Duration.ofSeconds(30);

    public enum Pause { OUTAGE, DISCONNECTED, UNAUTHORIZED, REDIRECT }

    /** Exchange property the send route's doCatch sets: the failed call's exception. */
    public static final String SEND_FAILURE = "WaSendFailure";

    private final RedissonClient redis;
    private final int outageThreshold;
    private final long maxProbeMs;
    private final int maxDeliveries;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    /** Entries (stream key + id) whose failed last attempt was already checked against connectionState. */
    private final Map<String, Long> lastAttemptChecked = new ConcurrentHashMap<>();

    private static final class State {
        volatile Pause pause;
        volatile String detail = "";
        volatile long pausedAt;
        int streak;
        long nextProbeAt;
        long probeBackoff = FIRST_PROBE_MS;
        volatile String remoteState = "unknown";
    }

    /**
     * @param outageThreshold consecutive transient failures that pause the instance (WA_OUTAGE_THRESHOLD)
     * @param maxProbeMs      longest wait between connectionState checks while paused
     * @param maxDeliveries   WA_MAX_DELIVERIES: the attempt that is checked before it is spent
     */
    public SendGate(RedissonClient redis, int outageThreshold, long maxProbeMs, int maxDeliveries) {
        this.redis = redis;
        this.maxDeliveries = maxDeliveries;
        this.outageThreshold = outageThreshold;
        this.maxProbeMs = maxProbeMs;
    }

    /** Memory only (DispatchGate is asked under the consumer's lock): connection states are refreshed by the probe timer. */
    @Override
    public boolean isOpen(String instance) {
        State s = state(instance);
        if (s.pause != null) {
            return false;
        }
        if ("close".equals(s.remoteState)) {
            pause(instance, s, Pause.DISCONNECTED, "connection.update reported the WhatsApp session closed");
            return false;
        }
        return true;
    }

    /**
     * Route step after the Evolution call. Without a failure (property {@value #SEND_FAILURE} unset) the instance
     * works and the next failure starts a new streak. A failure (an answer that is not a 2xx, or an IOException)
     * is judged and rethrown accordingly (docs/guarantees.md I5):
     * <ul>
     * <li>the instance is paused, or this failure pauses it (401/403, redirect, WhatsApp disconnected,
     * WA_OUTAGE_THRESHOLD transient failures in a row): {@link SendPaused}, which the stream consumer holds
     * without using an attempt;</li>
     * <li>a transient failure on the message's last allowed attempt, not yet checked: the instance is paused
     * and Evolution's connectionState asked first, so an outage that begins on a last attempt never
     * dead-letters the message; once Evolution answers "open", the same failure on the same entry counts;</li>
     * <li>otherwise the failure itself (Rejected: dead-lettered now; Transient: retried or, on the last attempt,
     * dead-lettered by the route's error policy).</li>
     * </ul>
     * Reads: property WaSendFailure; header CamelRedisStreamInstance, CamelRedisStreamKey, CamelRedisStreamId,
     * CamelRedisStreamDelivery. Sets: nothing; rethrows a failure as SendPaused or the failure.
     */
    public void judge(Exchange exchange) throws Exception {
        String instance = exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
        Exception failure = exchange.getProperty(SEND_FAILURE, Exception.class);
        if (failure == null) {
            onSuccess(instance);
            return;
        }
        State s = state(instance);
        if (s.pause != null) {
            throw new SendPaused(instance, s.pause.name().toLowerCase(), failure);
        }
        if (onFailure(instance, failure)) {
            throw new SendPaused(instance, String.valueOf(state(instance).pause).toLowerCase(), failure);
        }
        EvolutionFailure ef = find(failure, EvolutionFailure.class);
        if (ef != null && ef.kind() == EvolutionFailure.Kind.PERMANENT) {
            throw failure;
        }
        IOException io = find(failure, IOException.class);
        if (ef == null && io == null) {
            throw failure;
        }
        String detail = ef != null ? ef.getMessage() : String.valueOf(io);
        if (streak(instance, s, detail) == Decision.HOLD) {
            publish(instance, s);
            throw new SendPaused(instance, "outage", failure);
        }
        int attempt = exchange.getMessage().getHeader(RedisStreamConstants.DELIVERY, 1, Integer.class);
        String entry = exchange.getMessage().getHeader(RedisStreamConstants.KEY, String.class) + " "
                + exchange.getMessage().getHeader(RedisStreamConstants.ID, String.class);
        if (attempt >= maxDeliveries && lastAttemptChecked.remove(entry) == null) {
            lastAttemptChecked.put(entry, System.currentTimeMillis());
            forgetOldChecks();
            pause(instance, s, Pause.OUTAGE, "a last attempt failed (" + detail + "); checking Evolution before using it");
            publish(instance, s);
            throw new SendPaused(instance, "checking_before_last_attempt", failure);
        }
        // the failure belongs to this message: counted by the route's error policy and the consumer
        throw ef != null ? ef : new EvolutionFailure.Transient("evolution_unreachable", 0, detail);
    }

    /**
     * Pauses the instance when the failure says Evolution refuses our key (401/403), redirects, or its WhatsApp
     * session is disconnected, and publishes the pause for web processes. Returns whether the instance is
     * paused now.
     */
    public boolean onFailure(String instance, Throwable failure) {
        State s = state(instance);
        EvolutionFailure ef = find(failure, EvolutionFailure.class);
        if (ef != null && ef.kind() == EvolutionFailure.Kind.CONFIGURATION) {
            pause(instance, s, "redirect".equals(ef.reason()) ? Pause.REDIRECT : Pause.UNAUTHORIZED, ef.getMessage());
        } else if (ef != null && ef.kind() == EvolutionFailure.Kind.DISCONNECTED) {
            pause(instance, s, Pause.DISCONNECTED, ef.getMessage());
        }
        if (s.pause != null) {
            publish(instance, s);
            return true;
        }
        return false;
    }

    void onSuccess(String instance) {
        State s = state(instance);
        if (s.streak != 0) {
            synchronized (this) {
                s.streak = 0;
            }
        }
    }

    private void forgetOldChecks() {
        long old = System.currentTimeMillis() - 3_600_000;
        lastAttemptChecked.values().removeIf(t -> t < old);
    }

    private synchronized Decision streak(String instance, State s, String detail) {
        s.streak++;
        if (s.streak >= outageThreshold) {
            pause(instance, s, Pause.OUTAGE, s.streak + " consecutive transient failures, last: " + detail);
            return Decision.HOLD;
        }
        return Decision.COUNT;
    }

    private enum Decision { COUNT, HOLD }

    private synchronized void pause(String instance, State s, Pause why, String detail) {
        if (s.pause != null) {
            return;
        }
        s.pause = why;
        s.detail = detail;
        s.pausedAt = System.currentTimeMillis();
        s.probeBackoff = FIRST_PROBE_MS;
        s.nextProbeAt = s.pausedAt + FIRST_PROBE_MS;
        // published to Redis by the probe timer within a second: never a Redis call under a lock
        if (why == Pause.UNAUTHORIZED || why == Pause.REDIRECT) {
            LOG.error("Sending paused for instance {}: {}. Messages stay queued; fix the configuration."
                    + " Checking again with back-off.", instance, detail);
        } else {
            LOG.warn("Sending paused for instance {} ({}): {}. Messages stay queued.", instance, why, detail);
        }
    }

    /**
     * Probe route step: paused instances whose next connectionState check is due.
     * Reads: nothing. Sets: body (the instances to probe, returned; the route splits it).
     */
    public List<String> dueProbes() {
        refreshConnectionStates();
        states.forEach((instance, s) -> {
            if (s.pause != null) {
                publish(instance, s);
            }
        });
        return probesDue();
    }

    private synchronized List<String> probesDue() {
        long now = System.currentTimeMillis();
        List<String> due = new ArrayList<>();
        states.forEach((instance, s) -> {
            if (s.pause != null && now >= s.nextProbeAt) {
                long cap = s.pause == Pause.UNAUTHORIZED || s.pause == Pause.REDIRECT ? MAX_CONFIG_PROBE_MS : maxProbeMs;
                s.nextProbeAt = now + s.probeBackoff;
                s.probeBackoff = Math.min(cap, s.probeBackoff * 2);
                due.add(instance);
            }
        });
        return due;
    }

    /**
     * Probe route step: the answer of GET /instance/connectionState/{instance}.
     * Reads: property WaProbeInstance; header CamelHttpResponseCode; body (Evolution's answer). Sets: nothing on the
     * exchange (the instance's pause).
     */
    public void probeResult(Exchange exchange) {
        String instance = exchange.getProperty("WaProbeInstance", String.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String state = "";
        if (status == 200) {
            JsonNode json = readJson(exchange.getMessage().getBody(String.class));
            state = json.path("instance").path("state").asText(json.path("state").asText(""));
        }
        State s = state(instance);
        if (status == 200 && "open".equals(state)) {
            resume(instance, s);
        } else if (status == 401 || status == 403) {
            synchronized (this) {
                if (s.pause != Pause.UNAUTHORIZED) {
                    s.pause = Pause.UNAUTHORIZED;
                    s.detail = "connectionState answered " + status + ": Evolution refused EVOLUTION_API_KEY";
                    LOG.error("Instance {}: {}", instance, s.detail);
                }
            }
        } else {
            LOG.info("Instance {} still paused: connectionState answered {} {}", instance, status,
                    state.isEmpty() ? "" : "state=" + state);
        }
    }

    /** Evolution reported the instance open again (connection.update): sending resumes now. */
    public void resume(String instance) {
        resume(instance, state(instance));
    }

    /** The connection.update webhook (or a successful probe) opened the instance again. */
    private void resume(String instance, State s) {
        synchronized (this) {
            if (s.pause != null) {
                LOG.info("Sending resumed for instance {} after {} s paused ({})", instance,
                        (System.currentTimeMillis() - s.pausedAt) / 1000, s.pause);
            }
            s.pause = null;
            s.streak = 0;
            s.probeBackoff = FIRST_PROBE_MS;
            s.remoteState = "open";
        }
        redis.getBucket(Keys.connection(instance), StringCodec.INSTANCE).set("open");
        redis.getBucket(Keys.sendPaused(instance), StringCodec.INSTANCE).delete();
    }

    /** Web processes (health, metrics) learn of a worker's pause through Redis. */
    private void publish(String instance, State s) {
        com.fasterxml.jackson.databind.node.ObjectNode o = OutboundMessages.json().createObjectNode();
        o.put("reason", s.pause.name().toLowerCase());
        o.put("detail", s.detail);
        o.put("since", s.pausedAt / 1000.0);
        redis.getBucket(Keys.sendPaused(instance), StringCodec.INSTANCE).set(o.toString(), PAUSE_RECORD_TTL);
    }

    /**
     * Why sending is paused for the instance, as any process sees it: a worker's published pause, or the
     * session closed according to connection.update. Empty when sending may go on.
     */
    public static java.util.Optional<String> pauseSeenInRedis(RedissonClient redis, String instance) {
        String p = redis.<String>getBucket(Keys.sendPaused(instance), StringCodec.INSTANCE).get();
        if (p != null) {
            JsonNode n = readJson(p);
            return java.util.Optional.of(n.path("reason").asText("paused") + ": " + n.path("detail").asText(""));
        }
        String c = redis.<String>getBucket(Keys.connection(instance), StringCodec.INSTANCE).get();
        if ("close".equals(c)) {
            return java.util.Optional.of("disconnected: connection.update reported the WhatsApp session closed");
        }
        return java.util.Optional.empty();
    }

    /**
     * {@link #pauseSeenInRedis} for many instances in one MGET (health at hundreds of instances): instance to
     * why it is paused, only paused ones, in the given order.
     */
    public static Map<String, String> pausesSeenInRedis(RedissonClient redis, java.util.Collection<String> instances) {
        Map<String, String> out = new LinkedHashMap<>();
        if (instances.isEmpty()) {
            return out;
        }
        List<String> keys = new ArrayList<>();
        for (String i : instances) {
            keys.add(Keys.sendPaused(i));
            keys.add(Keys.connection(i));
        }
        Map<String, String> found = redis.getBuckets(StringCodec.INSTANCE).get(keys.toArray(String[]::new));
        for (String i : instances) {
            String p = found.get(Keys.sendPaused(i));
            if (p != null) {
                JsonNode n = readJson(p);
                out.put(i, n.path("reason").asText("paused") + ": " + n.path("detail").asText(""));
            } else if ("close".equals(found.get(Keys.connection(i)))) {
                out.put(i, "disconnected: connection.update reported the WhatsApp session closed");
            }
        }
        return out;
    }

    /** For health and metrics: why each paused instance is paused. */
    public Map<String, String> pauses() {
        Map<String, String> out = new LinkedHashMap<>();
        states.forEach((i, s) -> {
            if (s.pause != null) {
                out.put(i, s.pause.name().toLowerCase() + ": " + s.detail);
            }
        });
        return out;
    }

    public boolean isPaused(String instance) {
        return state(instance).pause != null;
    }

    private State state(String instance) {
        return states.computeIfAbsent(instance, i -> new State());
    }

    /**
     * The webhook writes connection.update states to Redis so every worker sees them; one MGET a second for
     * every instance this gate knows, from the probe timer, so {@link #isOpen} never waits on Redis.
     */
    private void refreshConnectionStates() {
        List<String> instances = new ArrayList<>(states.keySet());
        if (instances.isEmpty()) {
            return;
        }
        try {
            Map<String, String> found = redis.getBuckets(StringCodec.INSTANCE)
                    .get(instances.stream().map(Keys::connection).toArray(String[]::new));
            for (String instance : instances) {
                String v = found.get(Keys.connection(instance));
                state(instance).remoteState = v == null ? "unknown" : v;
            }
        } catch (RuntimeException e) {
            LOG.debug("connection states not refreshed: {}", e.getMessage());
        }
    }

    private static JsonNode readJson(String body) {
        try {
            return OutboundMessages.json().readTree(body == null ? "{}" : body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return OutboundMessages.json().createObjectNode();
        }
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
