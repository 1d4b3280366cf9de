package io.whatsappqueue.tracing;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.MDC;

/**
 * Gives every exchange of a traced message its trace id as exchange property {@value #KEY}, which Camel's MDC
 * service (camel-mdc, set up by {@link Tracing}) puts into the log MDC around every step, on whatever thread the
 * step runs. log4j2.xml prints it as {@code trace_id=...}. Registered after the tracer, so at route start the
 * {@code traceparent} header already holds the route span's context. Properties survive {@code removeHeaders}
 * and are copied to split and wire-tap exchanges.
 */
public final class TraceIdForLogs extends RoutePolicySupport implements RoutePolicyFactory {
    /** Exchange property and MDC key. */
    public static final String KEY = "trace_id";

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return this;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        String traceId = EntryTraceContext.traceId(exchange.getMessage().getHeader(EntryTraceContext.TRACEPARENT, String.class));
        if (traceId != null) {
            exchange.setProperty(KEY, traceId);
        }
    }

    /** The trace id of {@code exchange}'s message, or null (not traced). */
    public static String of(Exchange exchange) {
        return exchange.getProperty(KEY, String.class);
    }

    /**
     * Puts {@code traceId} into the MDC until closed, for log lines written outside a route step (the stream
     * consumer's retry and hold lines); does nothing for null.
     */
    public static MdcScope inMdc(String traceId) {
        if (traceId == null) {
            return () -> { };
        }
        MDC.put(KEY, traceId);
        return () -> MDC.remove(KEY);
    }

    /** An MDC entry to remove again. */
    public interface MdcScope extends AutoCloseable {
        @Override
        void close();
    }
}
