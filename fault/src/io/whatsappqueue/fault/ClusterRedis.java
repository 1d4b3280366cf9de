package io.whatsappqueue.fault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.whatsappqueue.redis.RedisConnector;
import io.whatsappqueue.redis.RedisTarget;
import org.redisson.api.RedissonClient;

/**
 * A Redis Cluster of three masters with one replica each, as issue 10 asks: six {@link RedisServer}s with
 * {@code cluster-enabled yes} (node timeout {@value #NODE_TIMEOUT_MS} ms, the cluster bus on a free port of its
 * own, since port + 10000 may not exist), joined by {@code redis-cli --cluster create --cluster-replicas 1}. Tells
 * which node serves a key or slot now (from {@code CLUSTER SLOTS} of a live node) and which replica follows a
 * master, and waits until the cluster is whole: {@code cluster_state:ok} everywhere and every master with a linked
 * replica (so {@code WAIT 1} can succeed).
 */
final class ClusterRedis implements RedisSetup {
    static final int NODE_TIMEOUT_MS = 1500;

    private final List<RedisServer> nodes = new ArrayList<>();

    ClusterRedis(Procs procs, Path dir) {
        for (int i = 1; i <= 6; i++) {
            nodes.add(new RedisServer(procs, dir.resolve("node-" + i), false, List.of("--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MS),
                    "--cluster-port", String.valueOf(Procs.freePort()))));
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        Process p = procs.start(create, Map.of(), log, dir);
        if (!Procs.await(p, 60_000) || p.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed:\n" + Procs.tail(log, 20));
        }
        awaitWhole(60_000);
    }

    @Override
    public Map<String, String> appEnv() {
        return Map.of("REDIS_CLUSTER", String.join(",", nodes.stream().map(n -> "127.0.0.1:" + n.port()).toList()));
    }

    @Override
    public Resp respFor(String key) {
        return masterOfSlot(slot(key)).resp();
    }

    @Override
    public RedissonClient connect() {
        return RedisConnector.connect(new RedisTarget(RedisTarget.Mode.CLUSTER, "REDIS_CLUSTER",
                nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).toList(), null, null, null, 0, false, null), 4);
    }

    @Override
    public List<Path> logs() {
        List<Path> logs = new ArrayList<>();
        nodes.forEach(n -> logs.add(n.log()));
        return logs;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("Cluster:");
        for (List<Object> range : slots()) {
            b.append(' ').append(range.get(0)).append('-').append(range.get(1)).append(" on :")
                    .append(((List<?>) range.get(2)).get(1));
        }
        return b.toString();
    }

    /**
     * {@code perMaster} instance names ({@code <prefix>-01} on) for each master, in master order (the first
     * {@code perMaster} share one master, and so on), so an app serving them spreads its keys over all three: an
     * instance's keys all carry its name as hash tag ({@code wa:{<inst>}:...}), so its slot is the name's slot.
     */
    List<String> spreadInstances(String prefix, int perMaster) {
        Map<Integer, List<String>> byMaster = new java.util.TreeMap<>();
        for (int i = 1; i < 1000 && byMaster.values().stream().mapToInt(List::size).sum() < 3 * perMaster; i++) {
            String name = String.format("%s-%02d", prefix, i);
            List<String> names = byMaster.computeIfAbsent(masterOfSlot(slot("{" + name + "}")).port(), k -> new ArrayList<>());
            if (names.size() < perMaster) {
                names.add(name);
            }
        }
        List<String> out = new ArrayList<>();
        byMaster.values().forEach(out::addAll);
        return out;
    }

    /** The hash slot of a key (hash tags honoured), as a live node computes it. */
    int slot(String key) {
        return (int) live().resp().number("CLUSTER", "KEYSLOT", key);
    }

    /** The node that serves {@code slot} now, as a live node's {@code CLUSTER SLOTS} says. */
    RedisServer masterOfSlot(int slot) {
        for (List<Object> range : slots()) {
            if (slot >= (Long) range.get(0) && slot <= (Long) range.get(1)) {
                return node(((Long) ((List<?>) range.get(2)).get(1)).intValue());
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /** The replica that follows {@code master} now (its first one in {@code CLUSTER SLOTS}). */
    RedisServer replicaOf(RedisServer master) {
        for (List<Object> range : slots()) {
            if (((Long) ((List<?>) range.get(2)).get(1)).intValue() == master.port() && range.size() > 3) {
                return node(((Long) ((List<?>) range.get(3)).get(1)).intValue());
            }
        }
        throw new IllegalStateException("no replica follows :" + master.port());
    }

    /** {@code CLUSTER FAILOVER} on a replica: it takes over its master's slots with the master's agreement. */
    void failover(RedisServer replica) {
        replica.resp().call("CLUSTER", "FAILOVER");
    }

    /** Waits until {@code node} answers {@code role:master} and serves {@code slot}; returns the time (epoch ms). */
    long awaitServes(RedisServer node, int slot, long timeoutMs) {
        Procs.until(timeoutMs, ":" + node.port() + " serving slot " + slot, () ->
                "master".equals(node.info("replication").get("role")) && masterOfSlot(slot) == node);
        return System.currentTimeMillis();
    }

    /** Waits until every live node says cluster_state:ok and every master has a replica linked; returns the time. */
    long awaitWhole(long timeoutMs) {
        Procs.until(timeoutMs, "cluster_state:ok on every node and a linked replica for every master", () -> {
            int linked = 0;
            for (RedisServer n : nodes) {
                if (!String.valueOf(n.resp().call("CLUSTER", "INFO")).contains("cluster_state:ok")) {
                    return false;
                }
                Map<String, String> info = n.info("replication");
                if ("slave".equals(info.get("role")) && "up".equals(info.get("master_link_status"))) {
                    linked++;
                }
            }
            return linked == 3 && slots().stream().allMatch(r -> r.size() > 3);
        });
        return System.currentTimeMillis();
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> slots() {
        List<List<Object>> out = new ArrayList<>();
        for (Object range : live().resp().list("CLUSTER", "SLOTS")) {
            out.add((List<Object>) range);
        }
        return out;
    }

    private RedisServer live() {
        for (RedisServer n : nodes) {
            if (n.alive() && n.resp().pings(500)) {
                return n;
            }
        }
        throw new IllegalStateException("no cluster node answers");
    }

    private RedisServer node(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node :" + port));
    }
}
