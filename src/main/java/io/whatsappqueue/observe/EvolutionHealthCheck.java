package io.whatsappqueue.observe;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.whatsappqueue.send.SendGate;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.redisson.api.RedissonClient;

/**
 * Evolution's state, as its own check outside readiness and liveness: a down Evolution must not stop a
 * load balancer from routing webhooks to this pod (they only need Redis). Shown in /observe/health.
 */
public final class EvolutionHealthCheck extends AbstractHealthCheck {
    private final RedissonClient redis;
    private final List<String> instances;

    public EvolutionHealthCheck(RedissonClient redis, List<String> instances) {
        super("wa", "evolution");
        this.redis = redis;
        this.instances = instances;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        StringBuilder paused = new StringBuilder();
        for (String instance : instances) {
            Optional<String> why = SendGate.pauseSeenInRedis(redis, instance);
            why.ifPresent(w -> paused.append(instance).append(" paused (").append(w).append("); "));
        }
        if (paused.isEmpty()) {
            builder.message("sending for " + instances).up();
        } else {
            builder.message(paused.toString().trim()).down();
        }
    }
}
