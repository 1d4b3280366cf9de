package io.whatsappqueue.admin;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.redis.EmbeddedRedis;
import io.whatsappqueue.redis.RedisConnector;
import org.redisson.api.RedissonClient;

/**
 * One real redis-server for the test JVM, and the settings (by their environment-variable names) that a
 * {@code @CamelMainTest} class sets as system properties in its static initializer, before Camel boots.
 * Earlier classes' settings are cleared first, so no class inherits another's configuration.
 */
final class AdminTestApp {
    static final String TOKEN = "secret-admin-token";
    private static final List<String> KNOWN = List.of("PORT", "MANAGEMENT_PORT", "WA_BIND_HOST", "REDIS_URL",
            "WA_DATA_DIR", "EVOLUTION_SERVER_URL", "EVOLUTION_API_KEY", "WA_INSTANCES", "WA_ROLE", "WEBHOOK_TOKEN",
            "ADMIN_TOKEN", "WA_STREAM_CLAIM_IDLE_MS", "WA_STREAM_READ_COUNT", "WA_STREAM_BLOCK_MS", "WA_STREAM_MAXLEN",
            "WA_TOKENS_PER_SECOND", "WA_BUCKET_CAPACITY", "WA_MAX_DELIVERIES", "WA_BASE_BACKOFF", "WA_MAX_BACKOFF",
            "WA_SEND_DELAY_MS", "WA_EVOLUTION_HTTP_TIMEOUT", "WA_SEND_CONCURRENCY", "WA_OUTAGE_THRESHOLD",
            "WA_MAX_MESSAGE_AGE_S", "WA_HEALTH_MAX_QUEUE_DEPTH", "WA_HEALTH_MAX_DLQ_DEPTH", "WA_HEALTH_STUCK_IDLE_MS",
            "WA_OPTOUT_KEYWORDS", "WA_OPTIN_KEYWORDS");

    private static EmbeddedRedis server;
    private static RedissonClient client;
    private static int port;

    private AdminTestApp() {
    }

    static synchronized String redisUrl() {
        if (server == null) {
            server = EmbeddedRedis.start(null);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (client != null) {
                    client.shutdown(0, 1, TimeUnit.SECONDS);
                }
                server.close();
            }));
        }
        return server.url();
    }

    static synchronized RedissonClient redis() {
        if (client == null) {
            client = RedisConnector.connect(redisUrl(), 8);
        }
        return client;
    }

    /** A web process (admin API, no send worker) serving {@code instances}; {@code overrides} win. */
    static Map<String, String> web(String instances, Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("REDIS_URL", redisUrl());
        m.put("WA_INSTANCES", instances);
        m.put("WA_ROLE", "web");
        m.put("ADMIN_TOKEN", TOKEN);
        m.put("WA_STREAM_BLOCK_MS", "200");
        m.put("WA_STREAM_CLAIM_IDLE_MS", "2000");
        m.putAll(overrides);
        return m;
    }

    /** Sets the settings as system properties for the next Camel boot; remembers the HTTP port. */
    static void apply(Map<String, String> settings) {
        KNOWN.forEach(System::clearProperty);
        // wa:instances outlives a Camel context in the shared Redis: each class serves its WA_INSTANCES only
        redis().getKeys().delete("wa:instances");
        port = freePort();
        System.setProperty("PORT", String.valueOf(port));
        System.setProperty("MANAGEMENT_PORT", String.valueOf(freePort()));
        System.setProperty("WA_BIND_HOST", "127.0.0.1");
        settings.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    static int port() {
        return port;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
