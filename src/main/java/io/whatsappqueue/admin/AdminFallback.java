package io.whatsappqueue.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.vertx.ext.web.RoutingContext;
import io.whatsappqueue.evolution.InstanceNames;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unknown {@code /admin/*} and {@code /api/*} paths and methods answer like every other admin or API error
 * (DESIGN §5, §9): JSON
 * {@code 404 not_found}, or {@code 405 method_not_allowed} with an {@code Allow} header when the path exists
 * with other methods, or {@code 415 unsupported_media_type} when path and method exist but the body is not sent as
 * JSON (a REST verb that {@code consumes: application/json} does not match it). Vert.x would answer them itself in
 * HTML or with an empty body. A last-resort Vert.x
 * route under each of those prefixes; the known paths and methods are read from the routes ({@link HttpOperations}:
 * the REST DSL verbs of routes/admin.camel.yaml and api.camel.yaml) when the context has started.
 */
public final class AdminFallback implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(AdminFallback.class);
    private static final List<String> BASES = List.of("/admin/", "/api/");

    private final int port;
    private final List<Known> known = new ArrayList<>();

    private record Known(Pattern path, Set<String> methods) {
    }

    public AdminFallback(int port) {
        this.port = port;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            LOG.warn("No platform-http router: unknown /admin and /api paths get Vert.x's own 404/405");
            return;
        }
        for (HttpOperations.Operation op : HttpOperations.of(context)) {
            if (BASES.stream().anyMatch(op.path()::startsWith)) {
                known.add(new Known(template(op.path()), Set.of(op.method())));
            }
        }
        for (String base : BASES) {
            router.route(base + "*").last().handler(this::answer);
        }
    }

    private void answer(RoutingContext rc) {
        String path = rc.normalizedPath();
        Set<String> allowed = new TreeSet<>();
        for (Known k : known) {
            if (k.path().matcher(path).matches()) {
                allowed.addAll(k.methods());
            }
        }
        int status;
        ErrorAnswer body;
        String method = rc.request().method().name();
        if (allowed.isEmpty()) {
            status = 404;
            body = new ErrorAnswer("not_found", "No endpoint at this path; GET /openapi.json lists them.");
        } else if (allowed.contains(method)) {
            // the path and method exist: the verb's `consumes` refused the body's media type
            status = 415;
            String type = rc.request().getHeader("Content-Type");
            body = new ErrorAnswer("unsupported_media_type", "The body must be JSON sent with 'Content-Type:"
                    + " application/json'" + (type == null ? " (none was given)." : ", not '"
                    + InstanceNames.safeForLog(type) + "'."));
        } else {
            status = 405;
            body = new ErrorAnswer("method_not_allowed", method
                    + " is not allowed on this path; use " + String.join(" or ", allowed) + ".");
            rc.response().putHeader("Allow", String.join(", ", allowed));
        }
        LOG.info("call rejected: path={} status={} error={}", path.startsWith("/api/") ? "/api" : "/admin", status,
                body.error());
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.json());
    }

    /** {@code /admin/chats/{contact}/pause} as a pattern: a {name} is one path segment. */
    private static Pattern template(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("(?=\\{)|(?<=\\})")) {
            out.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(out.toString());
    }
}
