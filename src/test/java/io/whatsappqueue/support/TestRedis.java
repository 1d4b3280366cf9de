package io.whatsappqueue.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.redis.EmbeddedRedis;
import io.whatsappqueue.redis.RedisConnector;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

/**
 * A real redis-server 7 (the embedded-redis binary) shared by the whole test JVM, plus a client for
 * assertions. Each test uses its own instance names, so tests never see each other's keys.
 */
public final class TestRedis {
    private static EmbeddedRedis server;
    private static RedissonClient client;

    private TestRedis() {
    }

    public static synchronized String url() {
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

    public static synchronized RedissonClient client() {
        if (client == null) {
            client = RedisConnector.connect(url(), 8);
        }
        return client;
    }

    public static RStream<String, String> stream(String key) {
        return client().getStream(key, StringCodec.INSTANCE);
    }

    /** XADD with one field {@code payload}, exactly as the previous (Python) system wrote entries. */
    public static String addPayload(String key, String payload) {
        return stream(key).add(StreamAddArgs.entries(Map.of("payload", payload))).toString();
    }

    public static long xlen(String key) {
        return stream(key).isExists() ? stream(key).size() : 0;
    }

    public static long pending(String key, String group) {
        RStream<String, String> s = stream(key);
        return s.isExists() && s.listGroups().stream().anyMatch(g -> g.getName().equals(group))
                ? s.getPendingInfo(group).getTotal() : 0;
    }

    public static List<Map<String, String>> entries(String key) {
        return stream(key).range(StreamMessageId.MIN, StreamMessageId.MAX).values().stream().toList();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
