package io.whatsappqueue.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;

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

    /**
     * Every started platform-http route as method and path. Read from the routes, not from the component's
     * endpoint list, which keeps only one entry per path (GET and DELETE /admin/streams/dlq share one).
     */
    static List<Route> all(CamelContext ctx) {
        TreeSet<String> seen = new TreeSet<>();
        List<Route> out = new ArrayList<>();
        for (org.apache.camel.Route route : ctx.getRoutes()) {
            if (!(route.getEndpoint() instanceof PlatformHttpEndpoint e)
                    || !ctx.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                continue;
            }
            String verbs = e.getHttpMethodRestrict() == null ? "GET,POST,PUT,DELETE" : e.getHttpMethodRestrict();
            for (String v : verbs.split(",")) {
                String method = v.trim().toUpperCase(Locale.ROOT);
                if (seen.add(method + " " + e.getPath())) {
                    out.add(new Route(method, e.getPath()));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Route::path).thenComparing(Route::method));
        return out;
    }

    static List<Route> admin(CamelContext ctx) {
        return all(ctx).stream().filter(r -> r.path().startsWith("/admin/")).toList();
    }
}
