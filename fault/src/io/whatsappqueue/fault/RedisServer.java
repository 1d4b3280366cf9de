package io.whatsappqueue.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Debian redis-server the suite owns: loopback, its own port and directory, optionally append-only with
 * {@code appendfsync always} (so a write Redis acknowledged survives SIGKILL). It can be SIGKILLed, frozen
 * (SIGSTOP / SIGCONT), started again on the same directory and port (with its append-only file, or wiped), and
 * told to refuse writes ({@code CONFIG SET maxmemory 1} with noeviction).
 */
final class RedisServer {
    private final Procs procs;
    private final Path dir;
    private final int port;
    private final boolean appendOnly;
    private final Resp resp;
    private Process process;

    RedisServer(Procs procs, Path dir, boolean appendOnly) {
        this.procs = procs;
        this.dir = dir;
        this.port = Procs.freePort();
        this.appendOnly = appendOnly;
        this.resp = new Resp(port);
        start();
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    Resp resp() {
        return resp;
    }

    Path log() {
        return dir.resolve("redis.log");
    }

    void start() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--maxmemory-policy", "noeviction", "--daemonize", "no",
                "--protected-mode", "yes"));
        if (appendOnly) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        process = procs.start(cmd, Map.of(), log(), dir);
        long end = System.currentTimeMillis() + 15_000;
        while (!resp.pings(500)) {
            if (System.currentTimeMillis() > end || !process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " did not start:\n" + Procs.tail(log(), 20));
            }
            StandIn.sleep(50);
        }
    }

    void kill() {
        Procs.kill(process);
    }

    /** SIGKILL, then start again empty on the same port (the data directory is wiped). */
    void killAndWipe() throws IOException {
        kill();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (!p.getFileName().toString().equals("redis.log")) {
                    deleteTree(p);
                }
            }
        }
    }

    void freeze() {
        Procs.signal(process, "STOP");
    }

    void thaw() {
        Procs.signal(process, "CONT");
    }

    void refuseWrites(boolean refuse) {
        resp.call("CONFIG", "SET", "maxmemory", refuse ? "1" : "0");
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var files = Files.list(p)) {
                for (Path c : files.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }
}
