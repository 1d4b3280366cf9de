package io.whatsappqueue.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets the service's settings (by their environment-variable names) as system properties before a
 * {@code @CamelMainTest} boots, after clearing whatever an earlier test class set, so no class inherits
 * another's configuration.
 */
public final class TestApp {
    private static final List<String> KNOWN = List.of("PORT", "MANAGEMENT_PORT", "WA_BIND_HOST", "REDIS_URL",
            "WA_DATA_DIR", "EVOLUTION_SERVER_URL", "EVOLUTION_API_KEY", "WA_INSTANCES", "WA_ROLE", "WEBHOOK_TOKEN",
            "ADMIN_TOKEN", "WA_STREAM_CLAIM_IDLE_MS", "WA_STREAM_READ_COUNT", "WA_STREAM_BLOCK_MS", "WA_STREAM_MAXLEN",
            "WA_TOKENS_PER_SECOND", "WA_BUCKET_CAPACITY", "WA_MAX_DELIVERIES", "WA_BASE_BACKOFF", "WA_MAX_BACKOFF",
            "WA_SEND_DELAY_MS", "WA_EVOLUTION_HTTP_TIMEOUT", "WA_SEND_CONCURRENCY", "WA_OUTAGE_THRESHOLD",
            "WA_MAX_MESSAGE_AGE_S", "JOLOKIA_USER", "JOLOKIA_PASSWORD", "WA_HTTP_HEADER_TIMEOUT_MS",
            "WA_HTTP_BODY_TIMEOUT_MS", "WA_HTTP_IDLE_TIMEOUT_S", "WA_HTTP_MAX_CONNECTIONS");

    private TestApp() {
    }

    /** Defaults for a fast, deterministic worker talking to {@code evolutionUrl}; {@code overrides} win. */
    public static Map<String, String> worker(String instances, String evolutionUrl, Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("REDIS_URL", TestRedis.url());
        m.put("EVOLUTION_SERVER_URL", evolutionUrl);
        m.put("EVOLUTION_API_KEY", "test-key");
        m.put("WA_INSTANCES", instances);
        m.put("WA_ROLE", "worker");
        m.put("WA_TOKENS_PER_SECOND", "0");
        m.put("WA_SEND_DELAY_MS", "0");
        m.put("WA_STREAM_BLOCK_MS", "200");
        m.put("WA_BASE_BACKOFF", "0.2");
        m.put("WA_MAX_BACKOFF", "0.5");
        m.put("WA_EVOLUTION_HTTP_TIMEOUT", "5");
        m.putAll(overrides);
        return m;
    }

    /** Applies settings as system properties for the next Camel boot in this JVM. */
    public static void apply(Map<String, String> settings) {
        KNOWN.forEach(System::clearProperty);
        System.setProperty("PORT", String.valueOf(TestRedis.freePort()));
        System.setProperty("MANAGEMENT_PORT", String.valueOf(TestRedis.freePort()));
        System.setProperty("WA_BIND_HOST", "127.0.0.1");
        settings.forEach(System::setProperty);
    }
}
