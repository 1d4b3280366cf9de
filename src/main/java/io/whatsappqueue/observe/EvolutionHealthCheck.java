package io.whatsappqueue.observe;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.whatsappqueue.send.SendGate;
import io.whatsappqueue.stream.InstanceSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.redisson.api.RedissonClient;

/**
 * Evolution's state, as its own check outside readiness and liveness: a down Evolution must not stop a
 * load balancer from routing webhooks to this pod (they only need Redis). Shown in /observe/health; covers
 * the instances served at the time of the call.
 */
public final class EvolutionHealthCheck extends AbstractHealthCheck {
    private final RedissonClient redis;
    private final InstanceSource instances;

    public EvolutionHealthCheck(RedissonClient redis, InstanceSource instances) {
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
        Set<String> served = instances.instances();
        for (String instance : served) {
            Optional<String> why = SendGate.pauseSeenInRedis(redis, instance);
            why.ifPresent(w -> paused.append(instance).append(" paused (").append(w).append("); "));
        }
        if (paused.isEmpty()) {
            // names while they fit on a line; a deployment may serve hundreds
            builder.message("sending for " + (served.size() <= 10 ? served : served.size() + " instances")).up();
        } else {
            builder.message(paused.toString().trim()).down();
        }
    }
}
