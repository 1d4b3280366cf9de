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
 * that started with the context, and any route there now whose {@code autoStartup} is true (a role builds only
 * its own routes: their {@code precondition} names the role, web, worker or sandbox), so a route a reload (WA_ROUTES_RELOAD) replaced or added is checked again. A
 * route later stopped, failed, or gone (a reload whose new version failed to start removes the old one, and
 * Camel's per-route checks vanish with it) makes the process not ready, naming the routes.
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
        Set<String> needed = new TreeSet<>(required);
        for (Route r : context.getRoutes()) {
            if (!Boolean.FALSE.equals(r.isAutoStartup())) {      // unset: starts with the context
                needed.add(r.getRouteId());
            }
        }
        List<String> problems = new ArrayList<>();
        for (String id : needed) {
            ServiceStatus status = context.getRoute(id) == null ? null : context.getRouteController().getRouteStatus(id);
            if (status != ServiceStatus.Started) {
                problems.add(id + (status == null ? " missing" : " " + status.name().toLowerCase()));
            }
        }
        if (problems.isEmpty()) {
            builder.message(needed.size() + " routes started").up();
        } else {
            builder.message("routes this role needs are not running: " + String.join(", ", problems)).down();
        }
    }
}
