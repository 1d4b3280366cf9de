package io.whatsappqueue.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How long a client may take, and how many may be connected, on each HTTP server (PORT and MANAGEMENT_PORT),
 * so slow or excess clients cannot exhaust it: request headers within {@code WA_HTTP_HEADER_TIMEOUT_MS} of
 * their first byte, the body within {@code WA_HTTP_BODY_TIMEOUT_MS} of the headers, no silence longer than
 * {@code WA_HTTP_IDLE_TIMEOUT_S} (an idle keep-alive connection included), at most
 * {@code WA_HTTP_MAX_CONNECTIONS} open connections per server. Read from Camel properties named like their
 * environment variables; defaults in application.properties.
 */
public final class HttpEdge {
    public final long headerTimeoutMs;
    public final long bodyTimeoutMs;
    public final int idleTimeoutSeconds;
    public final int maxConnections;

    private HttpEdge(Function<String, String> source) {
        List<String> problems = new ArrayList<>();
        headerTimeoutMs = positive(source, "WA_HTTP_HEADER_TIMEOUT_MS", problems);
        bodyTimeoutMs = positive(source, "WA_HTTP_BODY_TIMEOUT_MS", problems);
        idleTimeoutSeconds = (int) Math.min(Integer.MAX_VALUE, positive(source, "WA_HTTP_IDLE_TIMEOUT_S", problems));
        maxConnections = (int) Math.min(Integer.MAX_VALUE, positive(source, "WA_HTTP_MAX_CONNECTIONS", problems));
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }

    /** Reads and validates; throws {@link ConfigException} naming every bad variable. */
    public static HttpEdge load(Function<String, String> source) {
        return new HttpEdge(source);
    }

    private static long positive(Function<String, String> source, String name, List<String> problems) {
        String v = source.apply(name);
        try {
            long n = Long.parseLong(v == null ? "" : v.trim());
            if (n < 1) {
                problems.add(name + " must be 1 or more, got '" + v + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + v + "'");
            return 1;
        }
    }
}
