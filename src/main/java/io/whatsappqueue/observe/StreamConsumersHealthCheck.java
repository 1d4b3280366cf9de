package io.whatsappqueue.observe;

import java.util.Map;

import io.whatsappqueue.stream.RedisStreamConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: every stream consumer this process should run is started and can make progress: its reader runs
 * and Redis accepts its reads and writes (RedisStreamConsumer#problem; docs/guarantees.md I7).
 */
public final class StreamConsumersHealthCheck extends AbstractHealthCheck {
    private final CamelContext context;

    public StreamConsumersHealthCheck(CamelContext context) {
        super("wa", "stream-consumers");
        this.context = context;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        StringBuilder problems = new StringBuilder();
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof RedisStreamConsumer c && route.isAutoStartup()) {
                String problem = c.problem();
                if (!problem.isEmpty()) {
                    problems.append(route.getRouteId()).append(": ").append(problem).append("; ");
                }
            }
        }
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.message(problems.toString().trim()).down();
        }
    }
}
