package io.whatsappqueue.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One whatsapp-queue process started from the real jar ({@code java -Xmx256m -jar}), with the suite's settings
 * plus the scenario's overrides. Every start uses the same ports and appends to the same log file; ready means
 * GET /observe/health/ready answered 200. Also tells which local TCP ports it holds towards the stand-in, so a kill
 * can be matched with the sends that were in flight in it.
 */
final class App {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Procs procs;
    private final String jar;
    private final String name;
    private final Map<String, String> env;
    private final Path log;
    private final int port = Procs.freePort();
    private final int managementPort = Procs.freePort();
    private Process process;

    App(Procs procs, String jar, String name, Map<String, String> env) {
        this.procs = procs;
        this.jar = jar;
        this.name = name;
        this.env = new HashMap<>(env);
        this.log = procs.workDir().resolve(name + ".log");
    }

    /** The suite's defaults (brief: fast claim, small back-off, no rate limit), overridden by {@code extra}. */
    static Map<String, String> settings(Map<String, String> redisEnv, int standInPort, String instances, String role,
                                        Path dataDir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(redisEnv);
        env.put("EVOLUTION_SERVER_URL", "http://127.0.0.1:" + standInPort);
        env.put("EVOLUTION_API_KEY", "fault-key");
        env.put("WA_INSTANCES", instances);
        env.put("WA_ROLE", role);
        env.put("WA_BIND_HOST", "127.0.0.1");
        env.put("WA_DATA_DIR", dataDir.toString());
        env.put("WA_TOKENS_PER_SECOND", "0");
        env.put("WA_STREAM_CLAIM_IDLE_MS", "3000");
        env.put("WA_SEND_DELAY_MS", "0");
        env.put("WA_BASE_BACKOFF", "0.2");
        env.put("WA_MAX_BACKOFF", "2");
        env.put("WA_MAX_DELIVERIES", "5");
        env.putAll(extra);
        return env;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    Process process() {
        return process;
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Starts (or starts again) the process, on the same ports every time, as a restarted pod would. */
    App start() {
        Map<String, String> e = new HashMap<>(env);
        e.put("PORT", String.valueOf(port));
        e.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        try {
            Files.writeString(log, "\n===== fault suite: start " + name + " at " + System.currentTimeMillis() + " ms =====\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        process = procs.start(List.of("java", "-Xmx256m", "-jar", jar), e, log,
                procs.workDir());
        return this;
    }

    /** Waits until /observe/health/ready answers 200; throws with the log tail when it does not in time. */
    App awaitReady(long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!ready()) {
            if (!alive() || System.currentTimeMillis() > end) {
                throw new IllegalStateException(name + " not ready after " + timeoutMs + " ms:\n" + Procs.tail(log, 30));
            }
            StandIn.sleep(100);
        }
        return this;
    }

    /** GET /observe/health/ready with a 2 s timeout; no answer counts as not ready. */
    boolean ready() {
        if (!alive()) {
            return false;
        }
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void sigkill() {
        Procs.kill(process);
    }

    void sigterm() {
        Procs.signal(process, "TERM");
    }

    /** Local ports of this process's TCP connections to {@code remotePort} on loopback (from /proc). */
    Set<Integer> portsTowards(int remotePort) {
        Set<Integer> ports = new HashSet<>();
        if (!alive()) {
            return ports;
        }
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // the descriptor closed while we listed them: it holds no connection any more
                }
            }
            for (String table : List.of("tcp", "tcp6")) {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/net/" + table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[1].contains(":") || !inodes.contains(f[9])) {
                        continue;
                    }
                    int local = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                    int remote = Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16);
                    if (remote == remotePort) {
                        ports.add(local);
                    }
                }
            }
        } catch (IOException e) {
            return ports;
        }
        return ports;
    }
}
