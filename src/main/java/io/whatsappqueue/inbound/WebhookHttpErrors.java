package io.whatsappqueue.inbound;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers in JSON what Vert.x refuses before the webhook route runs. A body over {@code camel.server.maxBodySize}
 * (WA_WEBHOOK_MAX_BODY_BYTES) is rejected by Vert.x's body handler with 413 and a plain-text body; this failure
 * handler, placed ahead of every route on the webhook path, writes the DESIGN §4 error shape instead.
 */
public final class WebhookHttpErrors implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookHttpErrors.class);

    private final int port;
    private final long maxBodyBytes;
    private final io.whatsappqueue.observe.WaMetrics metrics;

    public WebhookHttpErrors(int port, long maxBodyBytes, io.whatsappqueue.observe.WaMetrics metrics) {
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            LOG.warn("No platform-http router: oversize webhook bodies get Vert.x's plain-text 413");
            return;
        }
        router.route(WebhookIntake.BASE_PATH + "*").order(-1000).failureHandler(this::onFailure);
    }

    private void onFailure(RoutingContext rc) {
        if (rc.statusCode() != 413 || rc.response().headWritten()) {
            rc.next();
            return;
        }
        metrics.webhook(io.whatsappqueue.observe.WaMetrics.NO_INSTANCE, "payload_too_large");
        LOG.info("outcome=rejected status=413 error=payload_too_large: body over {} bytes", maxBodyBytes);
        rc.response().setStatusCode(413)
                .putHeader("Content-Type", "application/json")
                // the rest of the body is not read; the client must not reuse the connection
                .putHeader("Connection", "close")
                .end(WebhookAnswers.errorBody("payload_too_large", "The request body is larger than "
                        + maxBodyBytes + " bytes (WA_WEBHOOK_MAX_BODY_BYTES)."));
    }
}
