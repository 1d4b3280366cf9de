package io.whatsappqueue.admin;

import java.util.List;

import org.apache.camel.CamelContext;

/** The HTTP routes the running app serves, read from Camel itself, so tests cover every path there is. */
final class AdminRoutes {
    record Route(String method, String path) {
        /** The path with sample values for its parameters. */
        String sample() {
            return path.replace("{contact}", "447700900123").replace("{instance}", "demo").replace("{name}", "demo");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private AdminRoutes() {
    }

    /** Every operation of a started HTTP route (REST DSL verb or platform-http consumer), as method and path. */
    static List<Route> all(CamelContext ctx) {
        return HttpOperations.of(ctx).stream()
                .filter(op -> ctx.getRouteController().getRouteStatus(op.routeId()).isStarted())
                .map(op -> new Route(op.method(), op.path()))
                .toList();
    }

    static List<Route> admin(CamelContext ctx) {
        return all(ctx).stream().filter(r -> r.path().startsWith("/admin/")).toList();
    }
}
