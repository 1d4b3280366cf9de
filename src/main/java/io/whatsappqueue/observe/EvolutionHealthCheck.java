package io.whatsappqueue.observe;

import java.util.Map;
import java.util.Set;

import io.whatsappqueue.send.SendGate;
import io.whatsappqueue.stream.InstanceSource;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.redisson.api.RedissonClient;

/**
 * Evolution's state, as its own check outside readiness and liveness: a down Evolution must not stop a
 * load balancer from routing webhooks to this pod (they only need Redis). Shown in /observe/health; covers
 * the instances served at the time of the probe. The pauses are read from Redis in the background
 * ({@link BackgroundProbe}, one round trip whatever the number of instances), so a frozen Redis cannot hold up
 * the health answer; while Redis does not answer, Evolution's state is unknown and the check says so.
 */
public final class EvolutionHealthCheck extends AbstractHealthCheck {
    private final InstanceSource instances;
    private final BackgroundProbe<String> pauses;

    public EvolutionHealthCheck(CamelContext context, RedissonClient redis, InstanceSource instances) {
        super("wa", "evolution");
        this.instances = instances;
        this.pauses = new BackgroundProbe<>(context, "evolution", () -> paused(redis, instances.instances()),
                RedisHealthCheck.EVERY_MS * 2, RedisHealthCheck.STALE_AFTER_MS * 2);
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
        BackgroundProbe.Answer<String> a = pauses.fresh().orElse(null);
        if (a == null || a.failure() != null) {
            builder.message("unknown: Redis, where sending pauses are kept, does not answer").down();
        } else if (a.value().isEmpty()) {
            Set<String> served = instances.instances();
            // names while they fit on a line; a deployment may serve hundreds
            builder.message("sending for " + (served.size() <= 10 ? served : served.size() + " instances")).up();
        } else {
            builder.message(a.value()).down();
        }
    }

    private static String paused(RedissonClient redis, Set<String> instances) {
        StringBuilder paused = new StringBuilder();
        SendGate.pausesSeenInRedis(redis, instances).forEach((instance, why) ->
                paused.append(instance).append(" paused (").append(why).append("); "));
        return paused.toString().trim();
    }
}
