package io.whatsappqueue.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real Redis deployments for tests, run from Debian's {@code redis-server} (7.0; {@code apt-get install -y
 * redis-server}, which {@code .ci/run} does when it is missing):
 * <ul>
 * <li>{@link #sentinel()}: one master, one replica and three sentinels watching master {@value #MASTER_NAME}
 * (quorum 2, down after {@value #DOWN_AFTER_MS} ms), so a failover completes in a few seconds;</li>
 * <li>{@link #cluster()}: three masters with one replica each, made by {@code redis-cli --cluster create}, node
 * timeout {@value #CLUSTER_NODE_TIMEOUT_MS} ms so a killed master's replica takes over in about two seconds;</li>
 * <li>{@link #standalone()}: one node whose default user needs {@link #PASSWORD}, with the ACL user {@link #USER}
 * and a TLS port next to the plain one, its certificate signed by a CA of its own ({@link #caFile()}).</li>
 * </ul>
 * Every process listens on free loopback ports, keeps its files (configuration, append-only file, log) in a
 * temporary directory of its own, and has the append-only file on (fsync every write), so a SIGKILL test loses
 * only what replication lost. {@link #close()} stops everything; the processes of a topology not closed are
 * killed when the JVM exits. Every wait is a bounded poll: when it runs out it throws, naming what it waited
 * for and the tail of the node's log. Data nodes of the Cluster topology need no password, those of the
 * Sentinel topology only when one is given.
 */
public final class RedisTopology implements AutoCloseable {
    /** The master name the sentinels watch. */
    public static final String MASTER_NAME = "mymaster";
    /** The default user's password of {@link #standalone()}. */
    public static final String PASSWORD = "default-secret";
    /** An ACL user of {@link #standalone()} with every right, its password {@link #USER_PASSWORD}. */
    public static final String USER = "wq-app";
    public static final String USER_PASSWORD = "app-secret";
    static final int DOWN_AFTER_MS = 1000;
    static final int CLUSTER_NODE_TIMEOUT_MS = 1500;
    private static final String HOST = "127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<RedisTopology> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(RedisTopology::stopAll), "redis-topology-stop"));
    }

    private final Path dir;
    private final String password;
    /** Every process by port, in start order; sentinels are flagged. */
    private final Map<Integer, Node> nodes = new LinkedHashMap<>();
    private int tlsPort;
    private Path caFile;

    private RedisTopology(String kind, String password) {
        requireRedisServer();
        try {
            this.dir = Files.createTempDirectory("wq-redis-" + kind + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.password = password;
        OPEN.add(this);
    }

    // ------------------------------------------------------------------ the three topologies

    /** 1 master, 1 replica, 3 sentinels; returns once every sentinel knows the replica and the other two sentinels. */
    public static RedisTopology sentinel() {
        return sentinel(null);
    }

    /** {@link #sentinel()} whose data nodes' default user needs {@code password} (the sentinels need none). */
    public static RedisTopology sentinel(String password) {
        RedisTopology t = new RedisTopology("sentinel", password);
        try {
            int master = t.startData(List.of());
            t.startData(List.of("replicaof " + HOST + " " + master));
            t.awaitReplicaLinked(t.dataPorts().get(1), master);
            for (int i = 0; i < 3; i++) {
                t.startSentinel(master);
            }
            t.await("every sentinel to know the replica and the two other sentinels", () -> t.sentinelPorts().stream()
                    .allMatch(s -> {
                        Map<String, String> m = alternating(t.cli(s, "SENTINEL", "MASTER", MASTER_NAME));
                        return "1".equals(m.get("num-slaves")) && "2".equals(m.get("num-other-sentinels"));
                    }), null);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** 3 masters and 3 replicas; returns once every node answers {@code cluster_state:ok} and agrees on the slots. */
    public static RedisTopology cluster() {
        RedisTopology t = new RedisTopology("cluster", null);
        try {
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int busPort = TestRedis.freePort();
                int port = t.startData(List.of("cluster-enabled yes", "cluster-config-file nodes.conf",
                        "cluster-node-timeout " + CLUSTER_NODE_TIMEOUT_MS, "cluster-port " + busPort));
                addresses.add(HOST + ":" + port);
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            create.addAll(addresses);
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            String out = t.cli(t.dataPorts().get(0), create.toArray(String[]::new));
            if (!out.contains("[OK] All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
            t.awaitClusterSettled();
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * One node: the default user's password is {@link #PASSWORD}, the ACL user {@link #USER} (password
     * {@link #USER_PASSWORD}) may do everything, and TLS is served on {@link #tlsPort()} with a certificate for
     * 127.0.0.1 and localhost signed by the CA in {@link #caFile()} (clients need no certificate).
     */
    public static RedisTopology standalone() {
        RedisTopology t = new RedisTopology("standalone", PASSWORD);
        try {
            Path tls = t.dir.resolve("tls");
            Certificates.write(tls);
            t.caFile = tls.resolve("ca.crt");
            t.tlsPort = TestRedis.freePort();
            t.startData(List.of("user " + USER + " on >" + USER_PASSWORD + " ~* &* +@all",
                    "tls-port " + t.tlsPort, "tls-cert-file " + tls.resolve("server.crt"),
                    "tls-key-file " + tls.resolve("server.key"), "tls-ca-cert-file " + t.caFile,
                    "tls-auth-clients no"));
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ addresses

    /** {@code 127.0.0.1:port,...} of the sentinels, for REDIS_SENTINEL. */
    public String sentinelAddresses() {
        return join(sentinelPorts());
    }

    /** {@code 127.0.0.1:port,...} of every data node, for REDIS_CLUSTER. */
    public String seedNodes() {
        return join(dataPorts());
    }

    /** The port of a standalone's plain (non-TLS) listener, or the first data node. */
    public int port() {
        return dataPorts().get(0);
    }

    /** The TLS port of {@link #standalone()}. */
    public int tlsPort() {
        return tlsPort;
    }

    /** PEM file of the CA that signed {@link #standalone()}'s certificate, for REDIS_TLS_CA_FILE. */
    public Path caFile() {
        return caFile;
    }

    /** The master the sentinels name now. */
    public int masterPort() {
        for (int s : liveSentinels()) {
            String[] addr = cli(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).split("\n");
            if (addr.length == 2) {
                return Integer.parseInt(addr[1].trim());
            }
        }
        throw new IllegalStateException("no live sentinel names a master for " + MASTER_NAME);
    }

    /** The Sentinel topology's data node that is not the master now. */
    public int replicaPort() {
        int master = masterPort();
        return dataPorts().stream().filter(p -> p != master).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------ faults

    /**
     * SENTINEL FAILOVER, then waits until every live sentinel names the replica as master, the replica says it
     * is master, and the old master (when running) follows it. Returns the new master's port.
     */
    public int failover() {
        int old = masterPort();
        int next = replicaPort();
        // a sentinel refuses while an earlier failover settles (INPROG) or before it trusts the replica (NOGOODSLAVE)
        String[] answer = new String[1];
        await("SENTINEL FAILOVER to be accepted (last answer: NOGOODSLAVE or INPROG)", () -> {
            answer[0] = cli(liveSentinels().get(0), "SENTINEL", "FAILOVER", MASTER_NAME);
            if (!answer[0].equals("OK") && !answer[0].startsWith("NOGOODSLAVE") && !answer[0].startsWith("INPROG")) {
                throw new IllegalStateException("SENTINEL FAILOVER answered " + answer[0]);
            }
            return answer[0].equals("OK");
        }, null);
        awaitSentinelsName(next);
        awaitReplicaLinked(old, next);
        return next;
    }

    /** SIGKILLs the Sentinel master, waits until the sentinels promoted the replica; returns the killed port. */
    public int killMaster() {
        int old = masterPort();
        int next = replicaPort();
        kill(old);
        awaitSentinelsName(next);
        return old;
    }

    /** The Cluster master that serves {@code key}'s slot now. */
    public int masterOf(String key) {
        return slotOwner(slotOf(key), liveDataPorts().get(0));
    }

    /**
     * CLUSTER FAILOVER on the replica of the master serving {@code key}; waits until every live node names the
     * replica as that slot's owner, says {@code cluster_state:ok} and sees the old master as its replica.
     * Returns the new master's port.
     */
    public int failoverMasterOf(String key) {
        int slot = slotOf(key);
        int master = slotOwner(slot, liveDataPorts().get(0));
        int replica = replicaOf(master);
        String answer = cli(replica, "CLUSTER", "FAILOVER");
        if (!answer.equals("OK")) {
            throw new IllegalStateException("CLUSTER FAILOVER on " + replica + " answered " + answer);
        }
        awaitSlotOwner(slot, replica);
        awaitReplicaLinked(master, replica);
        await("every live node to see " + master + " as a replica", () -> liveDataPorts().stream().allMatch(p ->
                cli(p, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains(HOST + ":" + master + "@") && l.contains("slave"))),
                node(master));
        return replica;
    }

    /**
     * SIGKILLs the Cluster master serving {@code key}; waits until its replica took over (after the node
     * timeout) and every live node says {@code cluster_state:ok}. Returns the killed port.
     */
    public int killMasterOf(String key) {
        int slot = slotOf(key);
        int master = slotOwner(slot, liveDataPorts().get(0));
        int replica = replicaOf(master);
        kill(master);
        awaitSlotOwner(slot, replica);
        return master;
    }

    /** SIGKILLs one node (data node or sentinel) and waits until it exited. */
    public void kill(int port) {
        Node n = node(port);
        if (n.process != null) {
            n.process.destroyForcibly();
            try {
                if (!n.process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("redis-server on port " + port + " did not die within 10 s of SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            n.process = null;
        }
    }

    /** Starts a killed node again with its configuration and data; returns once it answers PING. */
    public void restart(int port) {
        Node n = node(port);
        if (n.process != null) {
            throw new IllegalStateException("port " + port + " still runs");
        }
        launch(n);
    }

    // ------------------------------------------------------------------ commands

    /**
     * Runs {@code redis-cli} against a node (authenticated as the default user when the topology has a
     * password) and returns what it printed, trimmed. Options such as {@code -n 3} may come first. Redis errors
     * come back as text ({@code ERR ...}), as redis-cli prints them.
     */
    public String cli(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(redisCli(), "-h", HOST, "-p", String.valueOf(port)));
        if (password != null && !node(port).sentinel) {
            cmd.addAll(List.of("-a", password, "--no-auth-warning"));
        }
        cmd.addAll(List.of(args));
        return run(cmd, dir, Duration.ofSeconds(20)).trim();
    }

    /** The INFO {@code field} of a node ({@code role}, {@code master_link_status}, ...), or null. */
    public String info(int port, String field) {
        return fields(cli(port, "INFO")).get(field);
    }

    /** Stops every process and deletes the files. */
    @Override
    public void close() {
        stopAll();
        OPEN.remove(this);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    // ------------------------------------------------------------------ internals

    private static final class Node {
        final int port;
        final Path dir;
        final boolean sentinel;
        Process process;

        Node(int port, Path dir, boolean sentinel) {
            this.port = port;
            this.dir = dir;
            this.sentinel = sentinel;
        }
    }

    private int startData(List<String> extra) {
        int port = TestRedis.freePort();
        List<String> conf = new ArrayList<>(List.of("port " + port, "bind " + HOST, "protected-mode no",
                "daemonize no", "save \"\"", "appendonly yes", "appendfsync always", "loglevel notice",
                "repl-diskless-sync no", "replica-serve-stale-data yes"));
        if (password != null) {
            conf.add("requirepass " + password);
            conf.add("masterauth " + password);
        }
        conf.addAll(extra);
        writeAndLaunch(port, conf, false);
        return port;
    }

    private void startSentinel(int master) {
        int port = TestRedis.freePort();
        writeAndLaunch(port, List.of("port " + port, "bind " + HOST, "protected-mode no", "daemonize no",
                "sentinel monitor " + MASTER_NAME + " " + HOST + " " + master + " 2",
                "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS,
                "sentinel failover-timeout " + MASTER_NAME + " 3000",
                "sentinel parallel-syncs " + MASTER_NAME + " 1",
                password == null ? "" : "sentinel auth-pass " + MASTER_NAME + " " + password), true);
    }

    private void writeAndLaunch(int port, List<String> conf, boolean sentinel) {
        Path nodeDir = dir.resolve(String.valueOf(port));
        try {
            Files.createDirectories(nodeDir);
            List<String> all = new ArrayList<>(conf);
            all.add("dir " + nodeDir);
            Files.write(nodeDir.resolve("redis.conf"), all, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Node n = new Node(port, nodeDir, sentinel);
        nodes.put(port, n);
        launch(n);
    }

    private void launch(Node n) {
        List<String> cmd = new ArrayList<>(List.of(redisServer(), n.dir.resolve("redis.conf").toString()));
        if (n.sentinel) {
            cmd.add("--sentinel");
        }
        try {
            n.process = new ProcessBuilder(cmd).directory(n.dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(n.dir.resolve("log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        await("redis-server on port " + n.port + " to answer PING", () -> {
            if (!n.process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + n.port + " exited (" + n.process.exitValue()
                        + "):\n" + tail(n));
            }
            return accepts(n.port) && cli(n.port, "PING").equals("PONG");
        }, n);
    }

    private void awaitReplicaLinked(int replica, int master) {
        if (node(replica).process == null) {
            return;
        }
        await("port " + replica + " to replicate from " + master, () -> {
            Map<String, String> i = fields(cli(replica, "INFO", "replication"));
            return "slave".equals(i.get("role")) && String.valueOf(master).equals(i.get("master_port"))
                    && "up".equals(i.get("master_link_status"));
        }, node(replica));
    }

    private void awaitSentinelsName(int master) {
        await("every live sentinel to name " + master + " as master, and it to say role:master", () ->
                liveSentinels().stream().allMatch(s -> cli(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                        .endsWith("\n" + master)) && "master".equals(info(master, "role")), node(master));
    }

    private void awaitClusterSettled() {
        await("every node to say cluster_state:ok, see 3 masters and every replica, agree on the slots and have its "
                + "replica linked", () -> {
            for (int p : liveDataPorts()) {
                if (!"ok".equals(fields(cli(p, "CLUSTER", "INFO")).get("cluster_state"))) {
                    return false;
                }
                List<String> view = cli(p, "CLUSTER", "NODES").lines().map(l -> l.split(" ")).filter(f -> f.length >= 8)
                        .filter(f -> !f[2].contains("fail")).map(f -> f[2].contains("slave") ? "replica"
                                : f.length > 8 ? "master" : "empty").toList();
                if (view.stream().filter("master"::equals).count() != 3
                        || view.stream().filter("replica"::equals).count() != liveDataPorts().size() - 3) {
                    return false;
                }
            }
            String check = cli(liveDataPorts().get(0), "--cluster", "check", HOST + ":" + liveDataPorts().get(0));
            return check.contains("[OK] All nodes agree about slots configuration")
                    && check.contains("[OK] All 16384 slots covered") && check.contains("3 masters")
                    && liveDataPorts().stream().filter(p -> "slave".equals(info(p, "role")))
                    .allMatch(p -> "up".equals(info(p, "master_link_status")));
        }, null);
    }

    private void awaitSlotOwner(int slot, int owner) {
        await("every live node to name " + owner + " as owner of slot " + slot + " and say cluster_state:ok", () -> {
            for (int p : liveDataPorts()) {
                if (slotOwner(slot, p) != owner || !"ok".equals(fields(cli(p, "CLUSTER", "INFO")).get("cluster_state"))) {
                    return false;
                }
            }
            return "master".equals(info(owner, "role"));
        }, node(owner));
    }

    private int slotOf(String key) {
        return Integer.parseInt(cli(liveDataPorts().get(0), "CLUSTER", "KEYSLOT", key));
    }

    /** The port of the master serving {@code slot} in node {@code asker}'s view. */
    private int slotOwner(int slot, int asker) {
        for (String line : cli(asker, "CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue;           // a slot being migrated
                }
                String[] range = f[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = Integer.parseInt(range[range.length - 1]);
                if (slot >= from && slot <= to) {
                    return portOf(f[1]);
                }
            }
        }
        return -1;
    }

    /** The port of a live replica of the Cluster master on {@code master}. */
    private int replicaOf(int master) {
        String nodesText = cli(liveDataPorts().get(0), "CLUSTER", "NODES");
        String masterId = null;
        for (String line : nodesText.split("\n")) {
            String[] f = line.trim().split(" ");
            if (portOf(f[1]) == master) {
                masterId = f[0];
            }
        }
        for (String line : nodesText.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[3].equals(masterId) && !f[2].contains("fail") && node(portOf(f[1])).process != null) {
                return portOf(f[1]);
            }
        }
        throw new IllegalStateException("master " + master + " has no live replica:\n" + nodesText);
    }

    private static int portOf(String address) {
        String hostPort = address.split("@")[0];
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private List<Integer> dataPorts() {
        return nodes.values().stream().filter(n -> !n.sentinel).map(n -> n.port).toList();
    }

    private List<Integer> liveDataPorts() {
        return nodes.values().stream().filter(n -> !n.sentinel && n.process != null).map(n -> n.port).toList();
    }

    private List<Integer> sentinelPorts() {
        return nodes.values().stream().filter(n -> n.sentinel).map(n -> n.port).toList();
    }

    private List<Integer> liveSentinels() {
        return nodes.values().stream().filter(n -> n.sentinel && n.process != null).map(n -> n.port).toList();
    }

    private Node node(int port) {
        Node n = nodes.get(port);
        if (n == null) {
            throw new IllegalArgumentException("no node of this topology on port " + port + " (nodes: " + nodes.keySet() + ")");
        }
        return n;
    }

    private synchronized void stopAll() {
        nodes.values().forEach(n -> {
            if (n.process != null) {
                n.process.destroyForcibly();
            }
        });
        nodes.values().forEach(n -> {
            if (n.process != null) {
                try {
                    n.process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                n.process = null;
            }
        });
    }

    /** Polls {@code condition} every 100 ms for up to {@link #WAIT}; throws naming {@code what} (and a log tail). */
    private void await(String what, BooleanSupplier condition, Node logOf) {
        try {
            org.awaitility.Awaitility.await(what).atMost(WAIT).pollInterval(java.time.Duration.ofMillis(100))
                    .until(condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("gave up after " + WAIT.toSeconds() + " s waiting for " + what
                    + (logOf == null ? "" : "; log of port " + logOf.port + ":\n" + tail(logOf)), e);
        }
    }

    private static String tail(Node n) {
        try {
            List<String> lines = Files.readAllLines(n.dir.resolve("log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** {@code key:value} lines (INFO, CLUSTER INFO) as a map. */
    static Map<String, String> fields(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return m;
    }

    /** Alternating name and value lines (SENTINEL MASTER as redis-cli prints it) as a map. */
    static Map<String, String> alternating(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            m.put(lines[i].trim(), lines[i + 1].trim());
        }
        return m;
    }

    private static String join(List<Integer> ports) {
        return ports.stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String redisServer() {
        return binary("redis-server");
    }

    private static String redisCli() {
        return binary("redis-cli");
    }

    private static String binary(String name) {
        Path usr = Path.of("/usr/bin", name);
        if (Files.isExecutable(usr)) {
            return usr.toString();
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        throw new IllegalStateException(name + " not found in /usr/bin or on PATH: these tests run real Redis "
                + "processes; install Debian's redis-server (apt-get install -y redis-server; .ci/run does this)");
    }

    private static void requireRedisServer() {
        redisServer();
        redisCli();
    }

    /** Runs a command to its end (bounded) and returns its output; throws when it does not end in time. */
    static String run(List<String> cmd, Path workDir, Duration timeout) {
        try {
            Path out = Files.createTempFile(workDir, "cmd", ".out");
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("no end within " + timeout.toSeconds() + " s: " + cmd.get(0) + " " + cmd.get(cmd.size() - 1));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A throw-away CA and a server certificate for 127.0.0.1 and localhost, made with the JDK's keytool (no
     * openssl needed), written as PEM: {@code ca.crt}, {@code server.crt}, {@code server.key}.
     */
    static final class Certificates {
        private static final String STOREPASS = "changeit";

        static void write(Path dir) {
            try {
                Files.createDirectories(dir);
                Path store = dir.resolve("keys.p12");
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                List<String> common = List.of("-keystore", store.toString(), "-storepass", STOREPASS, "-storetype", "PKCS12");
                keytool(dir, keytool, common, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
                        "-dname", "CN=whatsapp-queue test CA", "-ext", "bc:c", "-validity", "2");
                keytool(dir, keytool, common, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                        "-dname", "CN=localhost", "-validity", "2");
                keytool(dir, keytool, common, "-certreq", "-alias", "server", "-file", dir.resolve("server.csr").toString());
                keytool(dir, keytool, common, "-gencert", "-alias", "ca", "-rfc", "-validity", "2",
                        "-infile", dir.resolve("server.csr").toString(), "-outfile", dir.resolve("server.crt").toString(),
                        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "EKU=serverAuth");
                keytool(dir, keytool, common, "-exportcert", "-alias", "ca", "-rfc", "-file", dir.resolve("ca.crt").toString());
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (var in = Files.newInputStream(store)) {
                    ks.load(in, STOREPASS.toCharArray());
                }
                Key key = ks.getKey("server", STOREPASS.toCharArray());
                String pem = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
                Files.writeString(dir.resolve("server.key"), pem, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the generated server key", e);
            }
        }

        private static void keytool(Path dir, String keytool, List<String> common, String... args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(keytool);
            cmd.addAll(List.of(args));
            cmd.addAll(common);
            cmd.add("-noprompt");
            String out = run(cmd, dir, Duration.ofSeconds(60));
            if (out.toLowerCase().contains("error")) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        }
    }
}
