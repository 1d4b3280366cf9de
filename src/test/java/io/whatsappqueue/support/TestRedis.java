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
 * The one real redis-server 7 (the embedded-redis binary) of the whole test JVM, plus a client for arranging
 * and asserting. {@link TestApp} empties it when a test class starts; each class also claims its own instance
 * names, so no class sees another's keys. A test may stop it and bring it back on the same port ({@link #kill},
 * {@link #restart}); the next class finds it running whatever that test did.
 */
public final class TestRedis {
    private static EmbeddedRedis server;
    private static RedissonClient client;
    private static boolean down;

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
        } else if (down) {
            restart();
        }
        return server.url();
    }

    /** Stops Redis abruptly (SIGKILL) and waits until its port refuses connections. */
    public static synchronized void kill() {
        url();
        down = true;
        server.kill();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !accepts(server.port()));
    }

    /** Starts Redis again, empty, on the port clients already use. */
    public static synchronized void restart() {
        if (down) {
            server = EmbeddedRedis.start(null, server.port());
            down = false;
        }
    }

    /**
     * Empties every database and lifts a memory limit a test may have left: each test class starts from an
     * empty, writable Redis, as with a Redis of its own.
     */
    public static void flushAll() {
        client().getRedisNodes(org.redisson.api.redisnode.RedisNodes.SINGLE).getInstance().setConfig("maxmemory", "0");
        client().getKeys().flushall();
    }

    private static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
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

    /**
     * Sends one command to the test Redis with Debian's {@code redis-cli} (for commands Redisson has no API for,
     * such as REPLICAOF; .ci/run installs it) and returns its output; fails when redis-cli fails.
     */
    public static String command(String... args) {
        url();
        return command(server.port(), args);
    }

    /** {@link #command} against the Redis on loopback port {@code port} (another server a test started). */
    public static String command(int port, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.startsWith("ERR")) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("redis-cli is needed (apt-get install redis-server): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
