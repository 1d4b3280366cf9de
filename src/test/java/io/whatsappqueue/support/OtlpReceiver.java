package io.whatsappqueue.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * An OpenTelemetry collector stand-in on a loopback port: accepts OTLP/HTTP protobuf at {@code POST /v1/traces}
 * (what the app exports when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is {@link #url()}) and keeps every span, from
 * any number of processes, with the {@code service.name} of the process that sent it.
 */
public final class OtlpReceiver implements AutoCloseable {
    private static final HexFormat HEX = HexFormat.of();

    /** One span as received; ids in lowercase hex, {@code parentSpanId} empty for a root span. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
                               Map<String, String> attributes) {
        public String attribute(String key) {
            return attributes.getOrDefault(key, "");
        }

        @Override
        public String toString() {
            return service + " " + name + " " + traceId + "/" + spanId + " <- " + parentSpanId + " " + attributes;
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new ArrayList<>();

    public OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/traces", this::traces);
        server.start();
    }

    /** The OTLP endpoint (base URL; the SDK adds {@code /v1/traces}). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public List<ReceivedSpan> trace(String traceId) {
        return spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** The span with this id, if received. */
    public Optional<ReceivedSpan> span(String spanId) {
        return spans().stream().filter(s -> s.spanId().equals(spanId)).findFirst();
    }

    /** {@code span} and its ancestors as far as they were received, nearest first. */
    public List<ReceivedSpan> ancestry(ReceivedSpan span) {
        List<ReceivedSpan> out = new ArrayList<>();
        for (ReceivedSpan s = span; s != null; s = s.parentSpanId().isEmpty() ? null : span(s.parentSpanId()).orElse(null)) {
            out.add(s);
        }
        return out;
    }

    private void traces(HttpExchange http) throws IOException {
        try (http) {
            if (!"POST".equals(http.getRequestMethod())) {
                http.sendResponseHeaders(405, -1);
                return;
            }
            InputStream in = http.getRequestBody();
            if ("gzip".equalsIgnoreCase(http.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
            List<ReceivedSpan> received = new ArrayList<>();
            for (ResourceSpans rs : request.getResourceSpansList()) {
                String service = attributes(rs.getResource().getAttributesList()).getOrDefault("service.name", "");
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        received.add(new ReceivedSpan(service, HEX.formatHex(s.getTraceId().toByteArray()),
                                HEX.formatHex(s.getSpanId().toByteArray()), HEX.formatHex(s.getParentSpanId().toByteArray()),
                                s.getName(), attributes(s.getAttributesList())));
                    }
                }
            }
            synchronized (this) {
                spans.addAll(received);
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            http.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            http.sendResponseHeaders(200, answer.length);
            http.getResponseBody().write(answer);
        }
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            var v = kv.getValue();
            out.put(kv.getKey(), v.hasStringValue() ? v.getStringValue() : v.toString().trim());
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
