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
    private static final long CONNECTION_CACHE_MS = 1000;
    private static final long FIRST_PROBE_MS = 1000;
    private static final long MAX_CONFIG_PROBE_MS = 300_000;
    /** The pause record in Redis outlives a dead worker by at most this. */
    private static final java.time.Duration PAUSE_RECORD_TTL = java.time.Duration.ofSeconds(30);

    public enum Pause { OUTAGE, DISCONNECTED, UNAUTHORIZED, REDIRECT }

    private final RedissonClient redis;
    private final int outageThreshold;
    private final long maxProbeMs;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    private static final class State {
        volatile Pause pause;
        volatile String detail = "";
        volatile long pausedAt;
        int streak;
        long nextProbeAt;
        long probeBackoff = FIRST_PROBE_MS;
        volatile String remoteState = "unknown";
        volatile long remoteReadAt;
    }

    public SendGate(RedissonClient redis, int outageThreshold, long maxProbeMs) {
        this.redis = redis;
        this.outageThreshold = outageThreshold;
        this.maxProbeMs = maxProbeMs;
    }

    @Override
    public boolean isOpen(String instance) {
        State s = state(instance);
        if (s.pause != null) {
            return false;
        }
        if ("close".equals(remoteState(instance, s))) {
            pause(instance, s, Pause.DISCONNECTED, "connection.update reported the WhatsApp session closed");
            return false;
        }
        return true;
    }

    @Override
    public synchronized Decision onFailure(String instance, Throwable failure) {
        State s = state(instance);
        if (s.pause != null) {
            return Decision.HOLD;
        }
        EvolutionFailure ef = find(failure, EvolutionFailure.class);
        if (ef != null) {
            switch (ef.kind()) {
                case CONFIGURATION -> {
                    pause(instance, s, "redirect".equals(ef.reason()) ? Pause.REDIRECT : Pause.UNAUTHORIZED, ef.getMessage());
                    return Decision.HOLD;
                }
                case DISCONNECTED -> {
                    pause(instance, s, Pause.DISCONNECTED, ef.getMessage());
                    return Decision.HOLD;
                }
                case PERMANENT -> {
                    return Decision.COUNT;
                }
                case TRANSIENT -> {
                    return streak(instance, s, ef.getMessage());
                }
                default -> throw new IllegalStateException("unknown kind " + ef.kind());
            }
        }
        if (find(failure, IOException.class) != null) {
            return streak(instance, s, String.valueOf(find(failure, IOException.class)));
        }
        return Decision.COUNT;
    }

    @Override
    public void onSuccess(String instance) {
        State s = state(instance);
        if (s.streak != 0) {
            synchronized (this) {
                s.streak = 0;
            }
        }
    }

    private Decision streak(String instance, State s, String detail) {
        s.streak++;
        if (s.streak >= outageThreshold) {
            pause(instance, s, Pause.OUTAGE, s.streak + " consecutive transient failures, last: " + detail);
            return Decision.HOLD;
        }
        return Decision.COUNT;
    }

    private synchronized void pause(String instance, State s, Pause why, String detail) {
        if (s.pause != null) {
            return;
        }
        s.pause = why;
        s.detail = detail;
        s.pausedAt = System.currentTimeMillis();
        s.probeBackoff = FIRST_PROBE_MS;
        s.nextProbeAt = s.pausedAt + FIRST_PROBE_MS;
        publish(instance, s);
        if (why == Pause.UNAUTHORIZED || why == Pause.REDIRECT) {
            LOG.error("Sending paused for instance {}: {}. Messages stay queued; fix the configuration."
                    + " Checking again with back-off.", instance, detail);
        } else {
            LOG.warn("Sending paused for instance {} ({}): {}. Messages stay queued.", instance, why, detail);
        }
    }

    /** Probe route step: paused instances whose next connectionState check is due. */
    public synchronized List<String> dueProbes() {
        long now = System.currentTimeMillis();
        List<String> due = new ArrayList<>();
        states.forEach((instance, s) -> {
            if (s.pause != null) {
                publish(instance, s);
            }
            if (s.pause != null && now >= s.nextProbeAt) {
                long cap = s.pause == Pause.UNAUTHORIZED || s.pause == Pause.REDIRECT ? MAX_CONFIG_PROBE_MS : maxProbeMs;
                s.nextProbeAt = now + s.probeBackoff;
                s.probeBackoff = Math.min(cap, s.probeBackoff * 2);
                due.add(instance);
            }
        });
        return due;
    }

    /** Probe route step: the answer of GET /instance/connectionState/{instance}. */
    public void probeResult(Exchange exchange) {
        String instance = exchange.getProperty("WaInstance", String.class);
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
    private synchronized void resume(String instance, State s) {
        if (s.pause != null) {
            LOG.info("Sending resumed for instance {} after {} s paused ({})", instance,
                    (System.currentTimeMillis() - s.pausedAt) / 1000, s.pause);
        }
        s.pause = null;
        s.streak = 0;
        s.probeBackoff = FIRST_PROBE_MS;
        s.remoteState = "open";
        s.remoteReadAt = System.currentTimeMillis();
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

    /** The webhook writes connection.update states to Redis so every worker sees them; read at most once a second. */
    private String remoteState(String instance, State s) {
        long now = System.currentTimeMillis();
        if (now - s.remoteReadAt > CONNECTION_CACHE_MS) {
            s.remoteReadAt = now;
            String v = redis.<String>getBucket(Keys.connection(instance), StringCodec.INSTANCE).get();
            s.remoteState = v == null ? "unknown" : v;
        }
        return s.remoteState;
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
