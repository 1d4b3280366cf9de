package io.whatsappqueue.config;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance Camel's HTTP servers run on (bound in the registry, so platform-http's server and the
 * management server both use it), with the {@link HttpEdge} limits applied to every HTTP server it creates:
 * Camel builds the server's {@code HttpServerOptions} itself and offers no timeout or connection settings.
 * Idle connections are closed by Vert.x's idle timeout; slow headers and bodies by {@link RequestDeadline};
 * connections beyond the cap are closed as they arrive. HTTP/2 cleartext is off: nothing here speaks it, and
 * the deadline watches HTTP/1 requests.
 */
public final class GuardedVertx extends VertxWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedVertx.class);
    private final HttpEdge edge;
    private final int appPort;
    private final java.util.function.BooleanSupplier started;

    private GuardedVertx(VertxInternal delegate, HttpEdge edge, int appPort, java.util.function.BooleanSupplier started) {
        super(delegate);
        this.edge = edge;
        this.appPort = appPort;
        this.started = started;
    }

    /**
     * @param appPort PORT: its connections get 503 ({@link StartingGate}) until {@code started} says the routes run
     *                (the management port answers throughout: health during start-up is what probes ask)
     */
    public static GuardedVertx create(HttpEdge edge, int appPort, java.util.function.BooleanSupplier started) {
        return new GuardedVertx((VertxInternal) Vertx.vertx(), edge, appPort, started);
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        options.setIdleTimeout(edge.idleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHttp2ClearTextEnabled(false);
        AtomicInteger open = new AtomicInteger();
        return delegate.createHttpServer(options).connectionHandler(c -> accept(c, open));
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }

    private void accept(HttpConnection connection, AtomicInteger open) {
        if (open.incrementAndGet() > edge.maxConnections) {
            open.decrementAndGet();
            LOG.warn("HTTP connection refused: {} connections open (WA_HTTP_MAX_CONNECTIONS)", edge.maxConnections);
            connection.close();
            return;
        }
        connection.closeHandler(v -> open.decrementAndGet());
        if (connection instanceof ConnectionBase c) {
            RequestDeadline.watch(c.channel(), edge.headerTimeoutMs, edge.bodyTimeoutMs);
            if (connection.localAddress() != null && connection.localAddress().port() == appPort) {
                StartingGate.watch(c.channel(), started);
            }
        }
    }
}
