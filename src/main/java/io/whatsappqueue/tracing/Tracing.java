package io.whatsappqueue.tracing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.whatsappqueue.config.ConfigException;
import org.apache.camel.CamelContext;
import org.apache.camel.mdc.MDCService;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trace per patient message (docs/observability.md "Tracing"): when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set, Camel's OpenTelemetry tracer (camel-opentelemetry2) traces
 * every route and every endpoint call, exporting over OTLP/HTTP with the SDK configured from the standard
 * {@code OTEL_*} variables (autoconfigure). Unset, nothing is installed and nothing costs anything.
 *
 * <p>The variables listed in {@link #FORWARDED} are also read as settings (application.properties, so a test or
 * {@code -D} can set them by the same name); every other {@code OTEL_*} variable (headers, certificates, timeouts)
 * the SDK reads from the environment itself. Defaults differing from the SDK's: service name
 * {@code whatsapp-queue}, protocol {@code http/protobuf} (the only one this build ships: gRPC is refused at
 * start-up naming the fix), no metrics or logs exporter (metrics are Prometheus, logs are the console).
 * Spans of the timer routes (probes, the scheduled-message mover) are left out: {@code WA_TRACE_EXCLUDE}.
 *
 * <p>Log lines of a traced message carry {@code trace_id} ({@link TraceIdForLogs}, Camel's MDC service).
 */
public final class Tracing {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

    /** Settings handed to the SDK from the app's own property source (lowest precedence: real env wins). */
    static final List<String> FORWARDED = List.of("OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_TRACES_EXPORTER", "OTEL_TRACES_SAMPLER",
            "OTEL_TRACES_SAMPLER_ARG", "OTEL_BSP_SCHEDULE_DELAY", "OTEL_PROPAGATORS");

    private Tracing() {
    }

    /**
     * Installs tracing on {@code ctx} when an OTLP endpoint is configured; call before routes are added.
     *
     * @param setting the app's settings by variable name (blank or null: unset)
     * @param role    WA_ROLE, recorded on every span's resource as {@code wa.role}
     * @return whether tracing is on
     * @throws ConfigException for a protocol this build cannot export with
     */
    public static boolean install(CamelContext ctx, Function<String, String> setting, String role) {
        Map<String, String> otel = new LinkedHashMap<>();
        otel.put("otel.metrics.exporter", "none");
        otel.put("otel.logs.exporter", "none");
        for (String name : FORWARDED) {
            String v = setting.apply(name);
            if (v != null && !v.isBlank()) {
                otel.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), v.trim());
            }
        }
        boolean endpoint = has(otel, "otel.exporter.otlp.endpoint") || has(otel, "otel.exporter.otlp.traces.endpoint");
        if (!endpoint || "true".equalsIgnoreCase(otel.get("otel.sdk.disabled"))) {
            return false;
        }
        for (String key : List.of("otel.exporter.otlp.protocol", "otel.exporter.otlp.traces.protocol")) {
            if (otel.containsKey(key) && !"http/protobuf".equals(otel.get(key))) {
                throw new ConfigException(key.toUpperCase(Locale.ROOT).replace('.', '_') + "=" + otel.get(key)
                        + ": this build exports traces over OTLP/HTTP only; set http/protobuf and point the endpoint"
                        + " at the collector's HTTP port (4318 by default)");
            }
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> otel)
                .addResourceCustomizer((resource, config) -> resource.merge(
                        Resource.create(Attributes.of(AttributeKey.stringKey("wa.role"), role))))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        flushOnStop(ctx, sdk);
        // camel-opentelemetry2 takes the tracer and propagators it finds in the registry (not the global ones)
        ctx.getRegistry().bind("openTelemetryTracer", sdk.getTracer("camel"));
        ctx.getRegistry().bind("openTelemetryPropagators", ContextPropagators.class, sdk.getPropagators());
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setCamelContext(ctx);
        tracer.setExcludePatterns(setting.apply("WA_TRACE_EXCLUDE"));
        tracer.init(ctx);
        // after the tracer's route policy, so the traceparent header holds the route span when it runs
        ctx.addRoutePolicyFactory(new TraceIdForLogs());
        MDCService mdc = new MDCService();
        mdc.setCamelContext(ctx);
        mdc.setCustomProperties(TraceIdForLogs.KEY);
        mdc.init(ctx);
        LOG.info("Tracing on: OTLP/HTTP to {} as service {}", otel.getOrDefault("otel.exporter.otlp.traces.endpoint",
                otel.get("otel.exporter.otlp.endpoint")), otel.getOrDefault("otel.service.name", "whatsapp-queue"));
        return true;
    }

    private static boolean has(Map<String, String> otel, String key) {
        return otel.get(key) != null;
    }

    /** Spans still in the export queue leave when the context stops (services stop in reverse order: after routes). */
    private static void flushOnStop(CamelContext ctx, OpenTelemetrySdk sdk) {
        try {
            ctx.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    sdk.shutdown().join(5, TimeUnit.SECONDS);
                }
            }, true, true);
        } catch (Exception e) {
            sdk.close();
            throw new IllegalStateException("could not register the tracing shutdown", e);
        }
    }
}
