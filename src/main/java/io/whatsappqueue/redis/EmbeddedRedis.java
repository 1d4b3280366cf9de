package io.whatsappqueue.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisExecProvider;

/**
 * Runs the redis-server 7 binary shipped in {@code org.signal:embedded-redis}. We start the process ourselves
 * rather than through the library's RedisServer, because that one installs a JVM exit hook that kills Redis
 * while Camel is still draining in-flight messages; here Redis stops last, after the routes.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final Process process;
    private final int port;
    private final Path dataDir;

    private EmbeddedRedis(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * Starts Redis on a free loopback port. With a data dir, writes an append-only file there (durable);
     * without one, keeps nothing on disk (tests).
     */
    public static EmbeddedRedis start(Path dataDir) {
        try {
            return start(dataDir, freePort());
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded Redis: " + e.getMessage(), e);
        }
    }

    /** Starts on a given port (tests that stop Redis and bring it back where clients expect it). */
    public static EmbeddedRedis start(Path dataDir, int port) {
        try {
            File binary = RedisExecProvider.defaultProvider().get();
            if (!binary.canExecute() && !binary.setExecutable(true)) {
                throw new IOException("cannot make " + binary + " executable");
            }
            List<String> cmd = new java.util.ArrayList<>(List.of(binary.getAbsolutePath(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
                    "--save", "", "--daemonize", "no", "--loglevel", "notice"));
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                stopLeftover(dataDir);
                cmd.addAll(List.of("--dir", dataDir.toString(), "--appendonly", "yes", "--appendfsync", "everysec",
                        "--pidfile", dataDir.resolve("redis.pid").toString()));
            } else {
                // no persistence, and a directory of its own: a Redis made a replica writes the master's RDB to its
                // directory, and a later one started in the same directory would load it
                Path scratch = Files.createTempDirectory("wq-redis-");
                scratch.toFile().deleteOnExit();
                cmd.addAll(List.of("--appendonly", "no", "--dir", scratch.toString()));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            awaitReady(p, port);
            LOG.info("Embedded Redis 7 started on 127.0.0.1:{}{}", port,
                    dataDir == null ? " (no persistence)" : ", append-only file in " + dataDir);
            return new EmbeddedRedis(p, port, dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded Redis: " + e.getMessage(), e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The redis-server's process id (tests freeze it with SIGSTOP to play a hung Redis). */
    public long pid() {
        return process.pid();
    }

    /** SIGTERM makes redis-server flush the append-only file and exit cleanly. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("Embedded Redis did not stop within 10 s; killing it");
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("Embedded Redis stopped{}", dataDir == null ? "" : " (data kept in " + dataDir + ")");
    }

    /** Kill (abruptly) for tests that simulate Redis going away. */
    public void kill() {
        process.destroyForcibly();
    }

    /** A redis-server left running by a killed JVM must not share the append-only file with the new one. */
    private static void stopLeftover(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("redis.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).trim();
        Files.deleteIfExists(pidFile);
        try {
            ProcessHandle.of(Long.parseLong(pid))
                    .filter(h -> h.info().command().map(c -> c.contains("redis-server")).orElse(false))
                    .ifPresent(h -> {
                        LOG.warn("Stopping a redis-server (pid {}) left behind on {}", pid, dataDir);
                        h.destroy();
                        h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                    });
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring unreadable pid file {}: {}", pidFile, e.getMessage());
        }
    }

    private static void awaitReady(Process p, int port) throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!ready.isDone()) {
                        output.append(line).append('\n');
                        if (line.contains("Ready to accept connections")) {
                            ready.complete(null);
                        }
                    } else if (line.contains(" # ")) {
                        LOG.warn("redis: {}", line);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("redis-server exited: " + output));
        }, "embedded-redis-log");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(15, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("redis-server on port " + port + " not ready within 15 s: " + output, e);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException(e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
