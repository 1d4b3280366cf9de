package io.whatsappqueue.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.whatsappqueue.config.ConfigException;

/**
 * The clinic-system API's settings (DESIGN §3, §9), read from Camel properties named like their environment
 * variables: API_TOKEN, the status callback URL and its HMAC secret, how long statuses are kept, how often due
 * scheduled messages are looked for. Throws {@link ConfigException} naming every bad variable.
 */
public final class ApiSettings {
    /** Bearer token of /api/*; null: every /api call answers 403 naming API_TOKEN. */
    public final String apiToken;
    /** Where status changes are POSTed; null: no callbacks (no outbox is written). */
    public final String callbackUrl;
    /** HMAC-SHA256 key of X-Signature; empty when unset (the signature is then over an empty key). */
    public final String callbackSecret;
    /** WA_STATUS_TTL_DAYS in ms. */
    public final long statusTtlMs;
    /** WA_SCHEDULE_POLL_MS: how often each web process looks for due scheduled messages. */
    public final long schedulePollMs;

    private ApiSettings(Function<String, String> source) {
        List<String> problems = new ArrayList<>();
        apiToken = blankToNull(source.apply("API_TOKEN"));
        callbackUrl = blankToNull(source.apply("WA_STATUS_CALLBACK_URL"));
        String secret = blankToNull(source.apply("WA_STATUS_CALLBACK_SECRET"));
        callbackSecret = secret == null ? "" : secret;
        if (callbackUrl != null) {
            try {
                URI u = URI.create(callbackUrl);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                    problems.add("WA_STATUS_CALLBACK_URL must be an http(s) URL, got '" + callbackUrl + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add("WA_STATUS_CALLBACK_URL must be an http(s) URL, got '" + callbackUrl + "'");
            }
            if (secret == null) {
                problems.add("WA_STATUS_CALLBACK_SECRET must be set when WA_STATUS_CALLBACK_URL is");
            }
        }
        long days = whole(source, "WA_STATUS_TTL_DAYS", 1, problems);
        statusTtlMs = days * 86_400_000L;
        schedulePollMs = whole(source, "WA_SCHEDULE_POLL_MS", 10, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }

    public static ApiSettings load(Function<String, String> source) {
        return new ApiSettings(source);
    }

    public boolean callbacks() {
        return callbackUrl != null;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static long whole(Function<String, String> source, String name, long min, List<String> problems) {
        String v = source.apply(name);
        try {
            long n = Long.parseLong(v == null ? "" : v.trim());
            if (n < min) {
                problems.add(name + " must be a whole number >= " + min + ", got '" + v + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number >= " + min + ", got '" + v + "'");
            return min;
        }
    }
}
