package io.whatsappqueue.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.whatsappqueue.redis.Keys;

/**
 * Everything one scenario starts (its Redis: one node, Sentinel or Cluster; stand-in, app processes, producer,
 * readiness probes), in its own directory, torn down by {@link #close()}; plus the bookkeeping the verdict needs:
 * the instances served, when the fault started and ended, which sends a kill or a Redis fault may legitimately
 * duplicate (I2), and failures found along the way.
 */
final class Stage implements AutoCloseable {
    static final String INSTANCE = "fault";

    final String name;
    final Path dir;
    final Procs procs;
    private final String jar;
    final List<App> apps = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    private final List<ReadyProbe> probes = new ArrayList<>();
    private final List<Kill> kills = new ArrayList<>();
    private final List<long[]> markWindows = new ArrayList<>();
    /** The one-node Redis of the standalone scenarios (also {@link #topology}). */
    RedisServer redis;
    /** The Redis the apps and the suite use, whatever its shape. */
    RedisSetup topology;
    /** The instances the apps serve (WA_INSTANCES); dead letters are read for each. */
    List<String> instances = List.of(INSTANCE);
    StandIn standIn;
    Replies replies;
    long faultStartMs;
    long faultEndMs;
    /** Longest a chat may wait for its next message (I7 per chat); 0: not checked. */
    long maxStallMs;

    /** A SIGKILL, and the loopback ports the killed process held towards the stand-in at that moment. */
    private record Kill(long atMs, Set<Integer> ports) {
    }

    Stage(String name, Path root, String jar) {
        this.name = name;
        this.dir = root.resolve(name.replaceAll("[^A-Za-z0-9_.-]+", "-"));
        this.jar = jar;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.procs = new Procs(dir, root.resolve("pids"));
    }

    RedisServer redis(boolean appendOnly) {
        redis = new RedisServer(procs, dir.resolve("redis"), appendOnly);
        topology = redis;
        return redis;
    }

    /** 1 master + 1 replica + 3 sentinels; the apps get REDIS_SENTINEL and REDIS_SENTINEL_MASTER. */
    SentinelRedis sentinel() {
        SentinelRedis sentinel = new SentinelRedis(procs, dir.resolve("redis"));
        topology = sentinel;
        return sentinel;
    }

    /**
     * 3 masters + 3 replicas; the apps get REDIS_CLUSTER, and the suite names keys with hash tags as the apps then
     * do (Keys.useHashTags, reset by {@link #close()}).
     */
    ClusterRedis cluster() {
        ClusterRedis cluster = new ClusterRedis(procs, dir.resolve("redis"));
        topology = cluster;
        Keys.useHashTags(true);
        return cluster;
    }

    StandIn standIn(int minLatencyMs, int maxLatencyMs) throws IOException {
        standIn = new StandIn(Procs.freePort(), minLatencyMs, maxLatencyMs);
        return standIn;
    }

    App app(String appName, String role, Map<String, String> extra) {
        App a = new App(procs, jar, appName, App.settings(topology.appEnv(), standIn.port(), String.join(",", instances), role,
                dir.resolve("data-" + appName), extra));
        apps.add(a);
        return a;
    }

    /** Starts {@code n} workers and waits until every one is ready. */
    List<App> workers(int n, Map<String, String> extra) {
        List<App> ws = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ws.add(app("worker-" + i, "worker", extra).start());
        }
        ws.forEach(w -> w.awaitReady(90_000));
        return ws;
    }

    Replies replies() {
        replies = new Replies(topology);
        return replies;
    }

    ReadyProbe probe(App app) {
        ReadyProbe p = new ReadyProbe(app);
        probes.add(p);
        return p;
    }

    /** SIGKILL, remembering which of the stand-in's requests were in flight in the process (I2 allowance). */
    void sigkill(App app) {
        Set<Integer> ports = app.portsTowards(standIn.port());
        long at = System.currentTimeMillis();
        app.sigkill();
        kills.add(new Kill(at, ports));
    }

    /** Sends answered from {@code fromMs} - 1 s to {@code toMs} + 1 s may be sent again (send -> mark window). */
    void allowSendMarkWindow(long fromMs, long toMs) {
        markWindows.add(new long[] {fromMs - 1000, toMs + 1000});
    }

    /** Duplicates I2 allows: sends in flight in killed processes plus sends answered inside a send→mark window. */
    int duplicateAllowance() {
        Set<StandIn.Receipt> allowed = new HashSet<>();
        for (StandIn.Receipt r : standIn.receipts()) {
            for (Kill k : kills) {
                if (k.ports().contains(r.clientPort) && r.arrivalMs <= k.atMs() && (r.doneMs == 0 || r.doneMs > k.atMs() - 1000)) {
                    allowed.add(r);
                }
            }
            for (long[] w : markWindows) {
                if (r.doneMs >= w[0] && r.doneMs <= w[1]) {
                    allowed.add(r);
                }
            }
        }
        return allowed.size();
    }

    /** Distinct accepted messages the stand-in has answered 2xx. */
    int deliveredCount() {
        Set<String> ids = new HashSet<>();
        for (StandIn.Receipt r : standIn.receipts()) {
            if (r.delivered()) {
                ids.add(r.messageId);
            }
        }
        return ids.size();
    }

    void awaitDelivered(int n, long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (deliveredCount() < n && System.currentTimeMillis() < end) {
            StandIn.sleep(20);
        }
    }

    /** Waits until every accepted message was delivered or dead-lettered, or the time is up; true if all were. */
    boolean awaitResolved(long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            if (unresolved() == 0) {
                return true;
            }
            StandIn.sleep(250);
        }
        return unresolved() == 0;
    }

    private int unresolved() {
        Set<String> open = new HashSet<>(replies.acceptedAt().keySet());
        for (StandIn.Receipt r : standIn.receipts()) {
            if (r.delivered()) {
                open.remove(r.messageId);
            }
        }
        if (!open.isEmpty()) {
            try {
                Ledger.deadLetters(topology, instances).forEach(d -> open.remove(d.messageId()));
            } catch (RuntimeException redisNotAnswering) {
                return open.size();
            }
        }
        return open.size();
    }

    /** I7: every readiness sample from {@code graceMs} after the fault started until it ended must be not-UP. */
    void expectNotReadyDuringFault(ReadyProbe probe, long graceMs) {
        expectNotReadyDuringFault(probe, graceMs, 0);
    }

    /**
     * As {@link #expectNotReadyDuringFault(ReadyProbe, long)}, leaving out the last {@code endMarginMs} before the
     * fault's end: when the suite learns the end by polling (a replica linked again), the app may see it first.
     */
    void expectNotReadyDuringFault(ReadyProbe probe, long graceMs, long endMarginMs) {
        long from = faultStartMs + graceMs;
        long to = faultEndMs - endMarginMs;
        List<ReadyProbe.Sample> up = probe.upBetween(from, to);
        int total = probe.samplesBetween(from, to);
        if (!up.isEmpty()) {
            failures.add("I7: /observe/health/ready answered UP " + up.size() + " of " + total + " times while the fault lasted"
                    + " (checked from " + graceMs / 1000 + " s after it began), at +" + up.stream()
                    .map(u -> String.format("%.1f", (u.atMs() - faultStartMs) / 1000.0)).toList() + " s");
        } else {
            notes.add("ready DOWN in all " + total + " samples during the fault");
        }
    }

    /** A note (no verdict): how many readiness samples said UP while the fault lasted. */
    void noteReadinessDuringFault(ReadyProbe probe) {
        notes.add("ready UP in " + probe.upBetween(faultStartMs, faultEndMs).size() + " of "
                + probe.samplesBetween(faultStartMs, faultEndMs) + " samples while the fault lasted");
    }

    /** I7: readiness UP again within 10 s of the fault ending. */
    void expectReadyAgain(ReadyProbe probe) {
        long up = probe.firstUpAfter(faultEndMs);
        if (up < 0 || up - faultEndMs > Ledger.RECOVERY_LIMIT_MS) {
            failures.add("I7: /observe/health/ready not UP within 10 s after the fault ended");
        } else {
            notes.add("ready UP again " + (up - faultEndMs) / 1000.0 + " s after the fault ended");
        }
    }

    /** The verdict from the ledger (I1, I2, I3, I7 recovery) plus what the scenario found. */
    Report.Row finish(boolean noDeadLetters) {
        return finish(noDeadLetters, null);
    }

    /**
     * As {@link #finish(boolean)}, with the webhooks' round trips (null: none) added to the row: their accepted,
     * replied, duplicates, lost and dead letters to its counts (duplicates judged against one I2 allowance for
     * both, since the stand-in's receipts are one list), their recovery (first webhook accepted after the fault)
     * to its recovery.
     */
    Report.Row finish(boolean noDeadLetters, RoundTrips trips) {
        long end = System.currentTimeMillis();
        List<Ledger.DeadLetter> dlq;
        try {
            dlq = Ledger.deadLetters(topology, instances);
        } catch (RuntimeException e) {
            failures.add("could not read the dead letters: " + e.getMessage());
            dlq = List.of();
        }
        Ledger l = new Ledger(replies, standIn.receipts(), dlq, faultEndMs, end);
        writeSends();
        int allowance = duplicateAllowance();
        int duplicates = l.duplicates + (trips == null ? 0 : trips.duplicates);
        if (trips != null) {
            judge(trips);
        }
        if (l.lost > 0) {
            failures.add("I1: " + l.lost + " accepted messages neither sent nor dead-lettered, e.g. "
                    + l.lostIds.subList(0, Math.min(5, l.lostIds.size())));
        }
        if (l.deadLetterReasons.containsKey("(no reason)")) {
            failures.add("I1: dead letters without final_error");
        }
        if (duplicates > allowance) {
            failures.add("I2: " + duplicates + " duplicate sends, allowed " + allowance
                    + " (in flight in killed processes / answered in a send->mark window)");
        }
        if (!l.orderViolations.isEmpty()) {
            failures.add("I3: " + l.orderViolations.size() + " out-of-order sends, e.g. " + l.orderViolations.get(0));
        }
        if (noDeadLetters && l.deadLettered > 0) {
            failures.add("I5: " + l.deadLettered + " dead-lettered although only Evolution's outage failed them: "
                    + l.deadLetterReasons);
        }
        if (l.recoveryMs > Ledger.RECOVERY_LIMIT_MS) {
            failures.add("I7: backlog resolved " + l.recoveryMs / 1000.0 + " s after the fault ended (limit 10 s)");
        }
        if (l.lost > 0) {
            failures.add("I7: not recovered: " + l.lost + " messages still waiting " + (end - faultEndMs) / 1000
                    + " s after the fault ended");
        }
        if (maxStallMs > 0 && l.longestStallMs > maxStallMs) {
            failures.add("I7: a chat waited " + l.longestStallMs / 1000.0 + " s for its next message (limit "
                    + maxStallMs / 1000 + " s: claim idle + 10 s + slack): " + l.longestStallId + " from "
                    + java.time.Instant.ofEpochMilli(l.longestStallFromMs));
        }
        if (!l.deadLetterReasons.isEmpty()) {
            notes.add("dead-letter reasons: " + l.deadLetterReasons);
        }
        notes.add("duplicates allowed by I2: " + allowance);
        if (replies.refusedCount() > 0) {
            notes.add(replies.refusedCount() + " enqueues refused (not accepted, not counted)");
        }
        if (trips == null) {
            return new Report.Row(name, l.accepted, l.sent, l.duplicates, l.lost, l.deadLettered, l.longestStallMs,
                    l.recoveryMs, new ArrayList<>(failures), new ArrayList<>(notes), logs());
        }
        notes.add("backlog: " + l.accepted + " accepted, " + l.sent + " sent, " + l.duplicates + " duplicates, " + l.lost
                + " lost, recovered " + l.recoveryMs / 1000.0 + " s after the fault");
        long recovery = l.recoveryMs < 0 || trips.recoveryMs < 0 ? -1 : Math.max(l.recoveryMs, trips.recoveryMs);
        return new Report.Row(name, l.accepted + trips.accepted, l.sent + trips.replied, duplicates,
                l.lost + trips.lost.size(), l.deadLettered + trips.deadLettered, l.longestStallMs, recovery,
                new ArrayList<>(failures), new ArrayList<>(notes), logs());
    }

    /** I1 and I7 for the webhooks: each accepted one kept its marker and got its reply sent; accepted again soon. */
    private void judge(RoundTrips trips) {
        notes.add("webhooks: " + trips.accepted + " accepted, " + trips.replied + " replies sent, " + trips.duplicates
                + " duplicates, " + trips.lost.size() + " lost, " + trips.deadLettered + " dead-lettered; first accepted "
                + (trips.recoveryMs < 0 ? "never" : trips.recoveryMs / 1000.0 + " s") + " after the fault");
        if (!trips.noMarker.isEmpty()) {
            failures.add("I1: " + trips.noMarker.size() + " webhooks answered 'accepted' lost their dedupe marker (and so"
                    + " their inbound entry), e.g. " + trips.noMarker.subList(0, Math.min(3, trips.noMarker.size())));
        }
        if (!trips.lost.isEmpty()) {
            failures.add("I1: " + trips.lost.size() + " webhooks answered 'accepted' got no reply sent and no dead letter,"
                    + " e.g. " + trips.lost.subList(0, Math.min(3, trips.lost.size())));
        }
        if (trips.recoveryMs < 0 || trips.recoveryMs > Ledger.RECOVERY_LIMIT_MS) {
            failures.add("I7: no webhook accepted within 10 s of the fault ending");
        }
    }

    /** Every sendText the stand-in received, as sends.csv in the scenario's directory (evidence for a failure). */
    private void writeSends() {
        StringBuilder csv = new StringBuilder("arrival_ms,answer_ms,done_ms,status,message_id,chat,seq,client_port,number\n");
        for (StandIn.Receipt r : standIn.receipts()) {
            csv.append(r.arrivalMs).append(',').append(r.answerMs).append(',').append(r.doneMs).append(',')
                    .append(r.status).append(',').append(r.messageId).append(',').append(r.chat).append(',')
                    .append(r.seq).append(',').append(r.clientPort).append(',').append(r.number).append('\n');
        }
        try {
            Files.writeString(dir.resolve("sends.csv"), csv);
        } catch (IOException e) {
            notes.add("could not write sends.csv: " + e.getMessage());
        }
    }

    List<Path> logs() {
        List<Path> logs = new ArrayList<>();
        apps.forEach(a -> logs.add(a.log()));
        if (topology != null) {
            logs.addAll(topology.logs());
        }
        return logs;
    }

    @Override
    public void close() {
        probes.forEach(ReadyProbe::close);
        procs.killAll();
        if (standIn != null) {
            standIn.close();
        }
        if (replies != null) {
            replies.close();
        }
        Keys.useHashTags(false);
    }
}
