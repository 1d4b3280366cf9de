package io.whatsappqueue.config;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine, bound to the server on {@code PORT}. Camel's own engine finds its server by
 * looking for the only one in the registry; with a separate MANAGEMENT_PORT there are two, and it falls back to
 * 8080, so every platform-http route failed to start whenever PORT was not 8080.
 */
public final class PortBoundHttpEngine extends VertxPlatformHttpEngine {
    private final int port;

    public PortBoundHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
