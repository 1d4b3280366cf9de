package io.whatsappqueue.observe;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNodes;

/**
 * Readiness: Redis answers. Everything we accept must go to Redis, so without it we are not ready. Redis is
 * pinged in the background ({@link BackgroundProbe}: every {@value #EVERY_MS} ms, each PING allowed
 * {@value #PING_TIMEOUT_MS} ms), so /observe/health answers at once and says DOWN within about
 * {@value #STALE_AFTER_MS} ms of Redis freezing, instead of hanging on Redisson's timeouts. What is pinged are the
 * nodes we write to: the one node, the master the sentinels name now, or every Cluster master (a replica down
 * does not stop us).
 */
public final class RedisHealthCheck extends AbstractHealthCheck {
    static final long EVERY_MS = 500;
    static final long PING_TIMEOUT_MS = 400;
    static final long STALE_AFTER_MS = 1500;

    private final BackgroundProbe<Boolean> ping;

    public RedisHealthCheck(CamelContext context, RedissonClient redis) {
        super("wa", "redis");
        this.ping = new BackgroundProbe<>(context, "redis",
                () -> pingMasters(redis),
                EVERY_MS, STALE_AFTER_MS);
    }

    /** True when every master answers PING in time; Redisson's node API differs per topology. */
    private static boolean pingMasters(RedissonClient redis) {
        if (redis.getConfig().isClusterConfig()) {
            return redis.getRedisNodes(RedisNodes.CLUSTER).getMasters().stream()
                    .allMatch(m -> m.ping(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        if (redis.getConfig().isSentinelConfig()) {
            return redis.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster().ping(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        return redis.getRedisNodes(RedisNodes.SINGLE).pingAll(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        BackgroundProbe.Answer<Boolean> a = ping.fresh().orElse(null);
        if (a == null) {
            builder.message("Redis has not answered PING for " + ping.silenceMs() + " ms").down();
        } else if (a.failure() != null) {
            builder.message("Redis unreachable: " + a.failure()).down();
        } else if (!Boolean.TRUE.equals(a.value())) {
            builder.message("Redis did not answer PING within " + PING_TIMEOUT_MS + " ms").down();
        } else {
            builder.up();
        }
    }
}
