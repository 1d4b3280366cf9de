package io.whatsappqueue.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.rest.RestEndpoint;

/**
 * The HTTP operations (method and path template, e.g. {@code POST /admin/chats/{contact}/pause}) the routes of a
 * context serve, read from the routes themselves: REST DSL verbs ({@code rest:} endpoints) and plain
 * {@code platform-http:} consumers. One entry per method and path, sorted by path then method.
 */
public final class HttpOperations {
    private static final String ANY_METHOD = "GET,POST,PUT,DELETE,PATCH";

    /** One operation; {@code path} keeps its {@code {name}} parameters. */
    public record Operation(String method, String path, String routeId) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private HttpOperations() {
    }

    /** Every operation of the context's routes, started or not. */
    public static List<Operation> of(CamelContext context) {
        Set<String> seen = new TreeSet<>();
        List<Operation> out = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            for (Operation op : of(route)) {
                if (seen.add(op.toString())) {
                    out.add(op);
                }
            }
        }
        out.sort(Comparator.comparing(Operation::path).thenComparing(Operation::method));
        return out;
    }

    /** The operations of one route: none unless it is fed by HTTP. */
    static List<Operation> of(Route route) {
        Endpoint e = route.getEndpoint();
        List<Operation> out = new ArrayList<>();
        if (e instanceof RestEndpoint rest) {
            String template = rest.getUriTemplate() == null ? "" : rest.getUriTemplate();
            String path = (rest.getPath() + "/" + template).replaceAll("/+", "/").replaceAll("(.)/$", "$1");
            out.add(new Operation(rest.getMethod().toUpperCase(Locale.ROOT), path, route.getRouteId()));
        } else if (e instanceof PlatformHttpEndpoint http) {
            String restrict = http.getHttpMethodRestrict();
            for (String m : (restrict == null ? ANY_METHOD : restrict).split(",")) {
                out.add(new Operation(m.trim().toUpperCase(Locale.ROOT), http.getPath(), route.getRouteId()));
            }
        }
        return out;
    }
}
