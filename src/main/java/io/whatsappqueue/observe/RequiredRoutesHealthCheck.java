package io.whatsappqueue.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: every route this process's role needs is there and started. The needed routes are the ones
 * that started with the context (their {@code autoStartup} follows the role: web, worker, sandbox); a route
 * later stopped, failed, or gone (a route reload that failed half-way removes routes, and Camel's per-route
 * checks vanish with them) makes the process not ready, naming the routes.
 */
public final class RequiredRoutesHealthCheck extends AbstractHealthCheck implements StartupListener {
    private final CamelContext context;
    private volatile Set<String> required = Set.of();

    public RequiredRoutesHealthCheck(CamelContext context) {
        super("wa", "routes");
        this.context = context;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
        // routes are not started yet at this point: the snapshot is taken once they are
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
        Set<String> ids = new TreeSet<>();
        for (Route r : ctx.getRoutes()) {
            if (ctx.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started) {
                ids.add(r.getRouteId());
            }
        }
        required = Set.copyOf(ids);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        for (String id : new TreeSet<>(required)) {
            ServiceStatus status = context.getRoute(id) == null ? null : context.getRouteController().getRouteStatus(id);
            if (status != ServiceStatus.Started) {
                problems.add(id + (status == null ? " missing" : " " + status.name().toLowerCase()));
            }
        }
        if (problems.isEmpty()) {
            builder.message(required.size() + " routes started").up();
        } else {
            builder.message("routes this role needs are not running: " + String.join(", ", problems)).down();
        }
    }
}
