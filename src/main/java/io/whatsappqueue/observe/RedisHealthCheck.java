package io.whatsappqueue.observe;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNodes;

/** Readiness: Redis answers. Everything we accept must go to Redis, so without it we are not ready. */
public final class RedisHealthCheck extends AbstractHealthCheck {
    private final RedissonClient redis;

    public RedisHealthCheck(RedissonClient redis) {
        super("wa", "redis");
        this.redis = redis;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            if (redis.getRedisNodes(RedisNodes.SINGLE).pingAll()) {
                builder.up();
            } else {
                builder.message("Redis did not answer PING").down();
            }
        } catch (RuntimeException e) {
            builder.message("Redis unreachable: " + e.getMessage()).error(e).down();
        }
    }
}
