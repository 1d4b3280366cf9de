package io.whatsappqueue.observe;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import io.whatsappqueue.redis.ReplicaBarrier;

/**
 * Readiness: Redis takes our writes. Everything we accept must go to Redis, so without it we are not ready. A
 * PING is not enough: a demoted master (after a Sentinel or Cluster failover, or REDIS_URL left pointing at the
 * old master) and a Redis at maxmemory answer PING but refuse writes (READONLY, OOM). So the probe writes one
 * small key ({@value #PROBE_KEY}, expiring) to the master the client follows, and with WA_REDIS_WAIT_REPLICAS
 * waits for that many replicas to hold it (without them no webhook is answered 2xx), in the background
 * ({@link BackgroundProbe}: every {@value #EVERY_MS} ms), so /observe/health answers at once and says DOWN within
 * about {@value #STALE_AFTER_MS} ms of Redis freezing or refusing, in every topology (DESIGN §3).
 */
public final class RedisHealthCheck extends AbstractHealthCheck {
    static final long EVERY_MS = 500;
    static final long STALE_AFTER_MS = 1500;
    /** The key the probe writes (one for the deployment; every process refreshes it). */
    static final String PROBE_KEY = "wa:probe";

    /** "" when the write was taken (and acknowledged by the replicas WAIT asks for), else why it was not. */
    private final BackgroundProbe<String> write;

    /** @param replicas the replicas a write needs (WA_REDIS_WAIT_REPLICAS): without them nothing is accepted */
    public RedisHealthCheck(CamelContext context, ReplicaBarrier replicas) {
        super("wa", "redis");
        this.write = new BackgroundProbe<>(context, "redis",
                () -> {
                    try {
                        replicas.write(PROBE_KEY, String.valueOf(System.currentTimeMillis()), Duration.ofSeconds(30));
                        return "";
                    } catch (org.redisson.client.RedisWaitException e) {
                        // our own message: how many replicas acknowledged, within how long (no secret in it)
                        return e.getMessage();
                    }
                },
                EVERY_MS, STALE_AFTER_MS);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        BackgroundProbe.Answer<String> a = write.fresh().orElse(null);
        if (a == null) {
            builder.message("Redis has not taken a write for " + write.silenceMs() + " ms").down();
        } else if (a.failure() != null) {
            builder.message("Redis refuses writes or is unreachable: " + a.failure()).down();
        } else if (!a.value().isEmpty()) {
            builder.message("Writes are not acknowledged by the replicas: " + a.value()).down();
        } else {
            builder.up();
        }
    }
}
