package io.whatsappqueue.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.whatsappqueue.redis.RedisConnector;
import org.redisson.api.RedissonClient;

/**
 * One Debian redis-server the suite owns: loopback, its own port and directory, optionally append-only with
 * {@code appendfsync always} (so a write Redis acknowledged survives SIGKILL), optionally with more options (a
 * replica's {@code --replicaof}, a Cluster node's {@code --cluster-enabled yes}), or a sentinel
 * ({@code redis-server sentinel.conf --sentinel}: Debian's package ships no redis-sentinel binary here). It can be
 * SIGKILLed, frozen (SIGSTOP / SIGCONT), started again on the same directory and port (with its append-only file
 * or Cluster config, or wiped), and told to refuse writes ({@code CONFIG SET maxmemory 1} with noeviction).
 */
final class RedisServer implements RedisSetup {
    private final Procs procs;
    private final Path dir;
    private final int port;
    private final Resp resp;
    private final List<String> command;
    private Process process;

    RedisServer(Procs procs, Path dir, boolean appendOnly) {
        this(procs, dir, appendOnly, List.of());
    }

    /** A data node; {@code options} are appended to the command line ({@code --replicaof 127.0.0.1 6379}). */
    RedisServer(Procs procs, Path dir, boolean appendOnly, List<String> options) {
        this(procs, dir, Procs.freePort());
        command.addAll(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--maxmemory-policy", "noeviction", "--daemonize", "no",
                "--protected-mode", "yes"));
        command.addAll(appendOnly ? List.of("--appendonly", "yes", "--appendfsync", "always") : List.of("--appendonly", "no"));
        // a replica (re)joining after a failover needs a full sync: start it at once, not after Redis's default
        // 5 s wait for more replicas to join (nothing here shares a sync), so the time a scenario measures is the app's
        command.addAll(List.of("--repl-diskless-sync-delay", "0"));
        command.addAll(options);
        start();
    }

    /**
     * A sentinel watching {@code masterName} at {@code masterPort} (quorum 2 of 3): the master is judged down after
     * {@code downAfterMs} without an answer, and a failover may be tried again after {@code failoverTimeoutMs}.
     * Its config file is written once; the sentinel rewrites it as it learns (replicas, other sentinels, epochs).
     */
    static RedisServer sentinel(Procs procs, Path dir, String masterName, int masterPort, long downAfterMs,
                                long failoverTimeoutMs) {
        int port = Procs.freePort();
        Path conf = dir.resolve("sentinel.conf");
        try {
            Files.createDirectories(dir);
            Files.writeString(conf, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 2",
                    "sentinel down-after-milliseconds " + masterName + " " + downAfterMs,
                    "sentinel failover-timeout " + masterName + " " + failoverTimeoutMs,
                    "sentinel parallel-syncs " + masterName + " 1", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServer s = new RedisServer(procs, dir, port);
        s.command.addAll(List.of("redis-server", conf.toString(), "--sentinel"));
        s.start();
        return s;
    }

    private RedisServer(Procs procs, Path dir, int port) {
        this.procs = procs;
        this.dir = dir;
        this.port = port;
        this.resp = new Resp(port);
        this.command = new ArrayList<>();
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

    @Override
    public Map<String, String> appEnv() {
        return Map.of("REDIS_URL", url());
    }

    @Override
    public Resp respFor(String key) {
        return resp;
    }

    @Override
    public RedissonClient connect() {
        return RedisConnector.connect(url(), 4);
    }

    @Override
    public List<Path> logs() {
        return List.of(log());
    }

    @Override
    public String describe() {
        return "redis-server :" + port;
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
        process = procs.start(command, Map.of(), log(), dir);
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

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The fields of one {@code INFO} section ({@code replication}: role, connected_slaves, master_link_status ...). */
    Map<String, String> info(String section) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (String line : String.valueOf(resp.call("INFO", section)).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
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
