package io.whatsappqueue.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.evolution.WebhookDecision;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's answers (DESIGN §4), always JSON: {@code {"status":"accepted"}}, {@code {"status":"ignored",
 * "reason":…}}, {@code {"status":"duplicate"}}, or {@code {"error":"<code>","message":"<sentence>"}} with a 4xx or
 * 503. Each answer is counted in {@code wa_webhook_events_total{instance,outcome}} and logged without message
 * text or numbers (accepted ones at debug: they are the hot path).
 */
public final class WebhookAnswers {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.webhook");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCEPTED = "{\"status\":\"accepted\"}";
    private static final String DUPLICATE = "{\"status\":\"duplicate\"}";

    private final io.whatsappqueue.observe.WaMetrics metrics;

    public WebhookAnswers(io.whatsappqueue.observe.WaMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Route step: the 200 answer for a request that went through (queued, duplicate or ignored).
     * Reads: property WaDecision; header CamelRedisStreamAddOutcome. Sets: header CamelHttpResponseCode (200); body
     * (the JSON answer, returned).
     */
    public String answer(Exchange exchange) {
        WebhookDecision d = exchange.getProperty(WebhookIntake.DECISION, WebhookDecision.class);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        String instance = d.instance();
        switch (d.kind()) {
            case QUEUE -> {
                if (RedisStreamConstants.DUPLICATE.equals(
                        exchange.getMessage().getHeader(RedisStreamConstants.ADD_OUTCOME, String.class))) {
                    metrics.webhook(instance, "duplicate");
                    metrics.deduplicated(instance, "webhook");
                    LOG.debug("outcome=duplicate instance={} key_id={}", instance, d.inbound().messageKeyId());
                    return DUPLICATE;
                }
                metrics.webhook(instance, "accepted");
                LOG.debug("outcome=accepted instance={} key_id={}", instance, d.inbound().messageKeyId());
                return ACCEPTED;
            }
            case CONNECTION -> {
                metrics.webhook(instance, "connection_update");
                return ignored("connection_update");
            }
            case IGNORE -> {
                metrics.webhook(instance, "ignored");
                LOG.debug("outcome=ignored reason={} instance={}", d.reason(), instance);
                return ignored(d.reason());
            }
            default -> throw new IllegalStateException("a rejected decision reached the 200 answer");
        }
    }

    /**
     * Error handler step: the answer to a {@link WebhookRejected}.
     * Reads: property CamelExceptionCaught (a WebhookRejected). Sets: header CamelHttpResponseCode, Allow (on 405);
     * body (the JSON answer, returned).
     */
    public String rejected(Exchange exchange) {
        WebhookRejected r = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookRejected.class);
        String instance = r.instance() == null ? io.whatsappqueue.observe.WaMetrics.NO_INSTANCE : r.instance();
        metrics.webhook(instance, r.code());
        LOG.info("outcome=rejected status={} error={} instance={}: {}", r.status(), r.code(), instance, r.getMessage());
        if (r.status() == 405) {
            exchange.getMessage().setHeader("Allow", "POST");
        }
        return error(exchange, r.status(), r.code(), r.getMessage());
    }

    /**
     * Error handler step: Redis did not take the event, or did not say that it did. Only a refusal before
     * anything was written (the inbound stream is full) may say "nothing was kept": after a timeout or a lost
     * connection the write may have happened (a frozen Redis applies it later), so the answer says the outcome
     * is unknown and that a retry is safe (the event and its de-duplication marker are written in one step).
     * Reads: property CamelExceptionCaught, WaDecision. Sets: header CamelHttpResponseCode (503), Retry-After; body
     * (the JSON answer, returned).
     */
    public String unavailable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        WebhookDecision d = exchange.getProperty(WebhookIntake.DECISION, WebhookDecision.class);
        String instance = d == null || d.instance() == null ? io.whatsappqueue.observe.WaMetrics.NO_INSTANCE : d.instance();
        metrics.webhook(instance, "unavailable");
        LOG.warn("outcome=unavailable status=503 instance={}: {}", instance, Failures.describe(cause));
        exchange.getMessage().setHeader("Retry-After", "5");
        return error(exchange, 503, "unavailable", refusedBeforeWriting(cause)
                ? "The inbound queue is full; nothing was kept. Please retry."
                : "Redis did not confirm that the event was stored; it may or may not have been kept. Please retry:"
                        + " a repeated event is recognised and kept only once.");
    }

    /**
     * Error handler step: a fault of ours. Logged with its stack trace; the caller learns nothing internal.
     * Reads: property CamelExceptionCaught. Sets: header CamelHttpResponseCode (500); body (the JSON answer,
     * returned).
     */
    public String internalError(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        metrics.webhook(io.whatsappqueue.observe.WaMetrics.NO_INSTANCE, "internal_error");
        LOG.error("outcome=internal_error status=500: {}", Failures.describe(cause));
        return error(exchange, 500, "internal_error", "The event could not be processed. Retrying is safe:"
                + " a repeated event is recognised and kept only once.");
    }

    private static boolean refusedBeforeWriting(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof io.whatsappqueue.stream.StreamFullException) {
                return true;
            }
        }
        return false;
    }

    /** The Vert.x-level answers (body too large) use the same shape. */
    public static String errorBody(String code, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", code);
        o.put("message", message);
        return o.toString();
    }

    private static String error(Exchange exchange, int status, String code, String message) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        return errorBody(code, message);
    }

    private static String ignored(String reason) {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", "ignored");
        o.put("reason", reason);
        return o.toString();
    }
}
