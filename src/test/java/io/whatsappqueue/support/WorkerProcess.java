package io.whatsappqueue.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real service started as its own process (java io.whatsappqueue.Main) with the given environment, as
 * an operator runs it. Used where a test needs two workers, or a process killed abruptly, or an exit code.
 */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private Path dataDir;
    private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private WorkerProcess(Process process, String readyText) {
        this.process = process;
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    if (readyText != null && line.contains(readyText)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("process ended: " + String.join("\n", output)));
        }, "worker-process-output");
        t.setDaemon(true);
        t.start();
    }

    /** Starts and waits until the send consumer runs. */
    public static WorkerProcess startWorker(Map<String, String> env) {
        return startAndWait(env, "Consuming stream of", 60, "worker");
    }

    /** Starts a web process ({@code WA_ROLE=web} in {@code env}) and waits until its reply consumer runs. */
    public static WorkerProcess startWeb(Map<String, String> env) {
        return startAndWait(env, "Consuming inbound of", 90, "web process");
    }

    private static WorkerProcess startAndWait(Map<String, String> env, String readyText, long seconds, String what) {
        WorkerProcess p = launch(env, readyText);
        try {
            p.ready.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.kill();
            throw new IllegalStateException(what + " did not start: " + String.join("\n", p.output), e);
        }
        return p;
    }

    /** Starts without waiting (for processes expected to fail). */
    public static WorkerProcess launch(Map<String, String> env, String readyText) {
        try {
            Path dataDir = Files.createTempDirectory("wq-worker");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.whatsappqueue.Main")
                    .redirectErrorStream(true);
            pb.environment().put("WA_DATA_DIR", dataDir.toString());
            pb.environment().put("PORT", String.valueOf(TestRedis.freePort()));
            pb.environment().put("MANAGEMENT_PORT", String.valueOf(TestRedis.freePort()));
            pb.environment().put("WA_BIND_HOST", "127.0.0.1");
            pb.environment().putAll(env);
            WorkerProcess p = new WorkerProcess(pb.start(), readyText);
            p.dataDir = Path.of(pb.environment().get("WA_DATA_DIR"));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The process's WA_DATA_DIR (a fresh temporary directory unless the caller gave one). */
    public Path dataDir() {
        return dataDir;
    }

    /** Waits for the process to exit; returns its exit code. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process still running after " + seconds + " s: " + String.join("\n", output));
        }
        return process.exitValue();
    }

    public List<String> output() {
        synchronized (output) {
            return new ArrayList<>(output);
        }
    }

    /** SIGKILL: no shutdown hook runs, in-flight work is abandoned mid-way. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: graceful shutdown. */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
