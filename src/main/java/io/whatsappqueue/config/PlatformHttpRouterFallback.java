package io.whatsappqueue.config;

import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Lets platform-http routes start on PORT when the management server has its own port. Camel 4.17's Vert.x
 * engine finds its router by port only while a single HTTP server exists; with two it assumes 8080, then tries
 * {@value #NAME}. Binding that name to the router of PORT makes every PORT work (only MANAGEMENT_PORT=8080 with
 * another PORT would still put the routes on the management server).
 */
public final class PlatformHttpRouterFallback {
    public static final String NAME = VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO;

    private PlatformHttpRouterFallback() {
    }

    /** Looked up lazily, when the first route starts: the servers have registered their routers by then. */
    public static Supplier<Object> routerOf(CamelContext ctx, int port) {
        return () -> VertxPlatformHttpRouter.lookup(ctx, VertxPlatformHttpRouter.getRouterNameFromPort(port));
    }
}
