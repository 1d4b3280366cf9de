package io.whatsappqueue.admin;

import org.apache.camel.Exchange;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever stopped an admin call into the JSON error answer: our own refusals keep their status and
 * code, Redis trouble is 503 (the operator retries), anything else 500 without internals.
 */
public final class AdminErrors {
    private static final Logger LOG = LoggerFactory.getLogger(AdminErrors.class);

    /**
     * onException step: sets the body, Content-Type and HTTP status. Headers were cleared before.
     * Reads: property CamelExceptionCaught; the route id. Sets: body (the JSON error); header Content-Type,
     * CamelHttpResponseCode, WWW-Authenticate (on 401).
     */
    public void answer(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String action = exchange.getFromRouteId();
        int status;
        String code;
        String message;
        AdminException refused = find(cause, AdminException.class);
        RedisException redis = find(cause, RedisException.class);
        if (refused != null) {
            status = refused.status();
            code = refused.code();
            message = refused.getMessage();
            if (status == 401 || status == 403) {
                LOG.warn("admin call refused: route={} status={} error={}", action, status, code);
            } else {
                LOG.info("admin call rejected: route={} status={} error={}", action, status, code);
            }
        } else if (redis != null) {
            status = 503;
            code = "redis_unavailable";
            // after a timeout the step may still have run (a frozen Redis applies it later): never claim it did not
            message = "Redis did not answer (" + redis.getClass().getSimpleName() + "); the call's outcome is unknown."
                    + " Check its effect (GET /admin/streams/health) before retrying.";
            LOG.error("admin call failed on Redis: route={} {}", action, redis.getMessage());
        } else {
            status = 500;
            code = "internal_error";
            message = "The admin call failed unexpectedly; the log has the detail.";
            LOG.error("admin call failed: route={}", action, cause);
        }
        exchange.getMessage().setBody(new ErrorAnswer(code, message).json());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (status == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"admin\"");
        }
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
