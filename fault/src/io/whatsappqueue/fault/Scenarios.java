package io.whatsappqueue.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fault scenarios of issue 8 point 5. Each one starts its own Redis, stand-in and app processes (a
 * {@link Stage}), queues replies (or webhooks), injects one fault, waits a bounded time and returns its table row.
 * Sizes are chosen so a correct engine drains within a few seconds of each fault ending (I7: 10 s).
 */
final class Scenarios {
    interface Scenario {
        Report.Row run(Stage s) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every scenario by name, in the order the suite runs them. */
    static Map<String, Scenario> all() {
        Map<String, Scenario> m = new LinkedHashMap<>();
        m.put("repeated-sigkill", Scenarios::repeatedSigkill);
        m.put("sigterm-mid-flight", Scenarios::sigtermMidFlight);
        m.put("web-sigkill-webhooks", Scenarios::webSigkill);
        m.put("redis-restart-aof", Scenarios::redisRestartAof);
        m.put("redis-restart-empty", Scenarios::redisRestartEmpty);
        m.put("redis-frozen-20s", Scenarios::redisFrozen);
        m.put("redis-maxmemory-15s", Scenarios::redisMaxmemory);
        m.put("evolution-down-last-try", Scenarios::evolutionDownOnLastAttempt);
        m.put("sentinel-failover", Scenarios::sentinelFailover);
        m.put("sentinel-kill-master", Scenarios::sentinelKillMaster);
        m.put("cluster-failover", Scenarios::clusterKillMaster);
        return m;
    }

    /** Variants and measurements run only when named with --only (not part of the suite's run). */
    static Map<String, Scenario> extras() {
        Map<String, Scenario> m = new LinkedHashMap<>();
        m.put("cluster-manual-failover", Scenarios::clusterManualFailover);
        m.put("sentinel-wait-latency", Scenarios::sentinelWaitLatency);
        m.put("sentinel-failover-wait0", Scenarios::sentinelFailoverWithoutWait);
        return m;
    }

    /** A failover a scenario injects: sets the stage's fault start and end, returns what happened (a note). */
    private interface Failover {
        String inject(Stage s);
    }

    /** Issue 10: {@code SENTINEL FAILOVER} during webhook traffic and a draining backlog (WA_REDIS_WAIT_REPLICAS=1).
     *  The old master becomes the new master's replica by itself; the fault ends when it is linked again. */
    static Report.Row sentinelFailover(Stage s) throws IOException {
        return sentinelFailover(s, 1);
    }

    /** {@link #sentinelFailover} with WA_REDIS_WAIT_REPLICAS=0: what the guarantee is without it (expected to fail
     *  I1 whenever an accepted write reached only the old master). */
    static Report.Row sentinelFailoverWithoutWait(Stage s) throws IOException {
        return sentinelFailover(s, 0);
    }

    private static Report.Row sentinelFailover(Stage s, int waitReplicas) throws IOException {
        SentinelRedis redis = s.sentinel();
        return failoverUnderTraffic(s, waitReplicas, stage -> {
            RedisServer old = redis.master();
            stage.faultStartMs = System.currentTimeMillis();
            redis.failover();
            long promoted = redis.awaitPromoted(old, 30_000);
            stage.faultEndMs = redis.awaitReplicaLinked(30_000);
            return "SENTINEL FAILOVER :" + old.port() + " -> :" + redis.masterPort() + "; new master named after "
                    + (promoted - stage.faultStartMs) / 1000.0 + " s, old master its replica after "
                    + (stage.faultEndMs - stage.faultStartMs) / 1000.0 + " s";
        });
    }

    /** Issue 10: the Sentinel master SIGKILLed during traffic; once the sentinels promoted the replica, the killed
     *  node is started again (empty: no persistence) and the sentinels make it the new master's replica, which
     *  WAIT 1 needs: the fault ends when it is linked. */
    static Report.Row sentinelKillMaster(Stage s) throws IOException {
        SentinelRedis redis = s.sentinel();
        return failoverUnderTraffic(s, 1, stage -> {
            RedisServer old = redis.master();
            stage.faultStartMs = System.currentTimeMillis();
            old.kill();
            long promoted = redis.awaitPromoted(old, 30_000);
            old.start();
            stage.faultEndMs = redis.awaitReplicaLinked(60_000);
            return "SIGKILL of master :" + old.port() + "; :" + redis.masterPort() + " promoted after "
                    + (promoted - stage.faultStartMs) / 1000.0 + " s, the restarted node its replica after "
                    + (stage.faultEndMs - stage.faultStartMs) / 1000.0 + " s";
        });
    }

    /** Issue 10: a 3 + 3 Cluster, 6 instances two per master; the master holding the first two instances' slots is
     *  SIGKILLed during traffic; once its replica serves the slot, the killed node is started again (its
     *  nodes.conf kept, its data empty) and rejoins as that replica's replica: the fault ends when every master has
     *  a linked replica again. */
    static Report.Row clusterKillMaster(Stage s) throws IOException {
        ClusterRedis redis = s.cluster();
        s.instances = redis.spreadInstances("clinic", 2);
        return failoverUnderTraffic(s, 1, stage -> {
            int slot = redis.slot("{" + stage.instances.get(0) + "}");
            RedisServer old = redis.masterOfSlot(slot);
            RedisServer replica = redis.replicaOf(old);
            String before = redis.describe();
            stage.faultStartMs = System.currentTimeMillis();
            old.kill();
            long promoted = redis.awaitServes(replica, slot, 30_000);
            old.start();
            stage.faultEndMs = redis.awaitWhole(60_000);
            return "instances " + stage.instances + "; " + before + "; SIGKILL of :" + old.port() + " (slot " + slot
                    + " of " + stage.instances.subList(0, 2) + "); replica :" + replica.port() + " serves it after "
                    + (promoted - stage.faultStartMs) / 1000.0 + " s, every master with a linked replica again after "
                    + (stage.faultEndMs - stage.faultStartMs) / 1000.0 + " s";
        });
    }

    /** As {@link #clusterKillMaster}, but the master is not killed: {@code CLUSTER FAILOVER} on its replica (the two
     *  swap roles with the old master's agreement); the fault ends when every master has a linked replica again. */
    static Report.Row clusterManualFailover(Stage s) throws IOException {
        ClusterRedis redis = s.cluster();
        s.instances = redis.spreadInstances("clinic", 2);
        return failoverUnderTraffic(s, 1, stage -> {
            int slot = redis.slot("{" + stage.instances.get(0) + "}");
            RedisServer old = redis.masterOfSlot(slot);
            RedisServer replica = redis.replicaOf(old);
            stage.faultStartMs = System.currentTimeMillis();
            redis.failover(replica);
            long promoted = redis.awaitServes(replica, slot, 30_000);
            stage.faultEndMs = redis.awaitWhole(60_000);
            return "instances " + stage.instances + "; CLUSTER FAILOVER on :" + replica.port() + " (replica of :"
                    + old.port() + ", slot " + slot + " of " + stage.instances.subList(0, 2) + "); it serves the slot after "
                    + (promoted - stage.faultStartMs) / 1000.0 + " s, every master with a linked replica again after "
                    + (stage.faultEndMs - stage.faultStartMs) / 1000.0 + " s";
        });
    }

    /**
     * The shape of every failover scenario: 1 web + 2 workers with WA_REDIS_WAIT_REPLICAS={@code waitReplicas}
     * (1, but for the variant showing what 0 risks) and 16 sends in flight each; stand-in latency 100-300 ms;
     * 20 webhooks/s round-robin over the instances from the start (4 s of them before the backlog: the latency
     * WAIT costs); then a backlog of 420 replies over 42 chats (10 deep, so a chat's own order does not stretch
     * the drain past the recovery limit; 7 chats for each of 6 Cluster instances), queued chats in parallel and acknowledged by a replica; the failover
     * once 150 sends went through; webhooks going on 6 s after the fault ended. Judged: the backlog by the ledger
     * (I1-I3, recovery), each accepted webhook's marker and reply ({@link RoundTrips}), duplicates only in the
     * send->mark window of the fault; with WAIT, readiness not UP from 5 s after the fault began until 0.5 s before it
     * ended (no write can be acknowledged without a linked replica), and UP again within 10 s.
     */
    private static Report.Row failoverUnderTraffic(Stage s, int waitReplicas, Failover failover) throws IOException {
        s.standIn(100, 300);
        Map<String, String> env = Map.of("WA_REDIS_WAIT_REPLICAS", String.valueOf(waitReplicas), "WA_TYPING_DELAY_MS", "0",
                "WA_SEND_CONCURRENCY", "16");
        App web = s.app("web", "web", env).start();
        List<App> workers = List.of(s.app("worker-1", "worker", env).start(), s.app("worker-2", "worker", env).start());
        web.awaitReady(90_000);
        workers.forEach(w -> w.awaitReady(90_000));
        ReadyProbe webReady = s.probe(web);
        ReadyProbe workerReady = s.probe(workers.get(0));
        Webhooks load = new Webhooks(s.instances, 0);
        Thread sender = new Thread(() -> load.run(web.port(), 20), "webhooks");
        long loadStart = System.currentTimeMillis();
        sender.start();
        StandIn.sleep(4_000);
        long backlogAt = System.currentTimeMillis();
        Replies replies = s.replies();
        int chats = 42 / s.instances.size();
        List<Replies.Msg> backlog = new ArrayList<>();
        for (int i = 0; i < s.instances.size(); i++) {
            String instance = s.instances.get(i);
            Replies.plan("b" + i, 10 * chats, chats, i * chats).forEach(m -> backlog.add(m.in(instance)));
        }
        replies.enqueueAllChatsAtOnce(backlog);
        replies.awaitReplicated(1, s.instances);
        s.awaitDelivered(150, 30_000);
        int sentBefore = s.deliveredCount();
        s.notes.add(failover.inject(s));
        s.notes.add(sentBefore + " of " + replies.acceptedAt().size() + " backlog replies sent before the fault, "
                + s.deliveredCount() + " when it ended");
        s.allowSendMarkWindow(s.faultStartMs, s.faultEndMs);
        StandIn.sleep(6_000);
        load.stop();
        join(sender);
        s.notes.add("webhook answers: " + load.outcomes);
        s.notes.add("accepted webhook latency with WAIT " + waitReplicas + " before the fault: median " + load.latencyPercentile(50, loadStart,
                backlogAt) + " ms, p99 " + load.latencyPercentile(99, loadStart, backlogAt) + " ms");
        s.awaitResolved(20_000);
        RoundTrips trips = new RoundTrips(load, s.standIn, s.topology, s.faultEndMs, 20_000);
        if (waitReplicas > 0) {
            // issue 10: readiness is DOWN while the app cannot write, and with WAIT it cannot until a replica is
            // linked to the new master. The first 5 s are the probe's grace, as for a frozen Redis; the last 0.5 s
            // are left out: the suite sees the replica linked up to a 100 ms poll and two INFO calls after Redis
            // does, and the app's write probe can succeed in between
            s.expectNotReadyDuringFault(webReady, 5_000, 500);
            s.expectNotReadyDuringFault(workerReady, 5_000, 500);
        } else {
            s.noteReadinessDuringFault(webReady);
        }
        s.expectReadyAgain(webReady);
        s.expectReadyAgain(workerReady);
        return s.finish(false, trips);
    }

    /**
     * Bench: the webhook latency WA_REDIS_WAIT_REPLICAS costs. Two web processes on one Sentinel-guarded Redis, one
     * with WAIT 0 and one with WAIT 1, 20 webhooks/s each at the same time for 20 s; notes the median and p99 of
     * the accepted answers' latency of each (the first 3 s left out: warm-up).
     */
    static Report.Row sentinelWaitLatency(Stage s) throws IOException {
        s.sentinel();
        s.standIn(0, 10);
        Map<String, String> common = Map.of("WA_TYPING_DELAY_MS", "0");
        App wait0 = s.app("web-wait0", "web", merge(common, Map.of("WA_REDIS_WAIT_REPLICAS", "0"))).start();
        App wait1 = s.app("web-wait1", "web", merge(common, Map.of("WA_REDIS_WAIT_REPLICAS", "1"))).start();
        wait0.awaitReady(90_000);
        wait1.awaitReady(90_000);
        Webhooks load0 = new Webhooks(List.of(Stage.INSTANCE), 0);
        Webhooks load1 = new Webhooks(List.of(Stage.INSTANCE), 50_000);
        Thread t0 = new Thread(() -> load0.run(wait0.port(), 20), "webhooks-wait0");
        Thread t1 = new Thread(() -> load1.run(wait1.port(), 20), "webhooks-wait1");
        long start = System.currentTimeMillis();
        t0.start();
        t1.start();
        StandIn.sleep(20_000);
        load0.stop();
        load1.stop();
        join(t0);
        join(t1);
        long from = start + 3_000;
        long to = start + 20_000;
        for (Object[] l : new Object[][] {{"WAIT 0", load0}, {"WAIT 1", load1}}) {
            Webhooks w = (Webhooks) l[1];
            s.notes.add(l[0] + ": accepted " + w.accepted.size() + ", answers " + w.outcomes + ", latency median "
                    + w.latencyPercentile(50, from, to) + " ms, p99 " + w.latencyPercentile(99, from, to) + " ms");
        }
        return new Report.Row(s.name, load0.accepted.size() + load1.accepted.size(), 0, 0, 0, 0, -1, -2,
                new ArrayList<>(s.failures), new ArrayList<>(s.notes), s.logs());
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** 3 workers (16 sends in flight each), 1,000 replies over 200 chats, latency 0-500 ms, queued in 20 bursts a
     *  second apart of 10 chats x 5 replies (so workers hold later entries of chats whose earlier entries another
     *  worker holds, as in issue 8's reproduction, all through the kills); every 3 s for
     *  30 s a random ready worker is SIGKILLed and restarted, when another one is ready to take over (else that
     *  tick is skipped: a JVM takes 5-15 s to start on a busy 2-core machine, and killing a worker that holds
     *  nothing proves nothing). The fault ends at the last kill. I7 per chat: no chat waits longer than the claim
     *  idle (3 s) + 10 s + 2 s slack. */
    static Report.Row repeatedSigkill(Stage s) throws IOException {
        s.redis(false);
        s.standIn(0, 500);
        List<App> workers = s.workers(3, Map.of("WA_SEND_CONCURRENCY", "16"));
        Replies replies = s.replies();
        Thread producer = new Thread(() -> {
            long start = System.currentTimeMillis();
            for (int burst = 0; burst < 20; burst++) {
                StandIn.sleep(Math.max(0, start + burst * 1_000L - System.currentTimeMillis()));
                replies.enqueueAll(Replies.plan(String.format("m%02d", burst), 50, 10, burst * 10));
            }
        }, "producer");
        Random random = new Random();
        s.faultStartMs = System.currentTimeMillis();
        producer.start();
        int kills = 0;
        int skipped = 0;
        long lastKill = s.faultStartMs;
        for (long t = 3_000; t <= 30_000; t += 3_000) {
            StandIn.sleep(Math.max(0, s.faultStartMs + t - System.currentTimeMillis()));
            List<App> ready = workers.stream().filter(App::ready).toList();
            if (ready.size() < 2) {
                skipped++;
                continue;
            }
            App victim = ready.get(random.nextInt(ready.size()));
            s.sigkill(victim);
            lastKill = System.currentTimeMillis();
            victim.start();
            kills++;
        }
        join(producer);
        s.faultEndMs = lastKill;
        s.awaitResolved(20_000);
        s.notes.add(kills + " SIGKILLs of a ready worker, " + skipped + " ticks skipped (fewer than 2 ready)");
        s.maxStallMs = 15_000;
        return s.finish(false);
    }

    /** One worker SIGTERMed while sends are in flight (latency 1-2 s); a second worker takes over. */
    static Report.Row sigtermMidFlight(Stage s) throws IOException {
        s.redis(false);
        s.standIn(1000, 2000);
        // 16 in flight, as in repeated-sigkill: with 8, the 52 entries left pending take 52 / 8 x 1.5 s = 10 s to
        // send at this latency, so the recovery limit would measure the stand-in's latency, not the recovery
        App a = s.workers(1, Map.of("WA_SEND_CONCURRENCY", "16")).get(0);
        Replies replies = s.replies();
        replies.enqueueAll(Replies.plan("m", 60, 30));
        long end = System.currentTimeMillis() + 15_000;
        while (s.standIn.attemptedCount() < 8 && System.currentTimeMillis() < end) {
            StandIn.sleep(20);
        }
        s.faultStartMs = System.currentTimeMillis();
        a.sigterm();
        App b = s.app("worker-2", "worker", Map.of("WA_SEND_CONCURRENCY", "16")).start();
        boolean exited = Procs.await(a.process(), 40_000);
        long exitMs = System.currentTimeMillis();
        s.notes.add(exited ? "SIGTERMed worker exited after " + (exitMs - s.faultStartMs) / 1000.0 + " s"
                : "SIGTERMed worker still running after 40 s");
        if (!exited) {
            s.failures.add("SIGTERM: the worker did not exit within 40 s");
        }
        b.awaitReady(90_000);
        s.faultEndMs = System.currentTimeMillis();   // the old worker gone and its successor ready
        s.awaitResolved(20_000);
        return s.finish(false);
    }

    /** WA_ROLE=web under 40 webhooks/s, SIGKILLed after 5 s and restarted on the same port, load going on until
     *  5 s after it is ready again: every event answered accepted has its de-duplication marker (written
     *  atomically with the inbound XADD) and gets a reply queued. */
    static Report.Row webSigkill(Stage s) throws IOException {
        s.redis(false);
        s.standIn(0, 50);
        App web = s.app("web", "web", Map.of()).start().awaitReady(90_000);
        Webhooks load = new Webhooks(Stage.INSTANCE);
        Thread sender = new Thread(() -> load.run(web.port(), 40), "webhooks");
        sender.start();
        StandIn.sleep(5_000);
        s.faultStartMs = System.currentTimeMillis();
        s.sigkill(web);
        web.start().awaitReady(90_000);
        s.faultEndMs = System.currentTimeMillis();   // restarted on the same port and ready
        StandIn.sleep(5_000);
        load.stop();
        join(sender);
        Resp redis = s.redis.resp();
        List<String> noMarker = new ArrayList<>();
        for (String keyId : load.accepted.keySet()) {
            if (redis.number("EXISTS", "wa:" + Stage.INSTANCE + ":dedupe:" + keyId) == 0) {
                noMarker.add(keyId);
            }
        }
        Set<String> replied = new HashSet<>();
        long end = System.currentTimeMillis() + 25_000;
        while (System.currentTimeMillis() < end) {
            replied = repliedTo(redis);
            if (replied.containsAll(load.accepted.keySet())) {
                break;
            }
            StandIn.sleep(500);
        }
        Set<String> noReply = new HashSet<>(load.accepted.keySet());
        noReply.removeAll(replied);
        long inboundDlq = redis.number("XLEN", "wa:" + Stage.INSTANCE + ":inbound:dlq");
        long firstAfter = load.acceptedTimes.stream().filter(t -> t > s.faultEndMs).mapToLong(Long::longValue).min().orElse(-1);
        long recovery = firstAfter < 0 ? -1 : firstAfter - s.faultEndMs;
        List<String> failures = s.failures;
        if (!noMarker.isEmpty()) {
            failures.add("I1: " + noMarker.size() + " webhooks answered 'accepted' have no dedupe marker, e.g. "
                    + noMarker.subList(0, Math.min(3, noMarker.size())));
        }
        if (!noReply.isEmpty()) {
            failures.add("I1: " + noReply.size() + " accepted webhooks got no reply queued within 25 s, e.g. "
                    + new ArrayList<>(noReply).subList(0, Math.min(3, noReply.size())));
        }
        if (recovery < 0 || recovery > Ledger.RECOVERY_LIMIT_MS) {
            failures.add("I7: no webhook accepted within 10 s of the restarted web process being ready");
        }
        s.notes.add("webhook answers: " + load.outcomes);
        s.notes.add("'sent' = accepted webhooks with a reply queued in wa:" + Stage.INSTANCE + ":stream; 'dlq' = inbound dead letters");
        Set<String> lost = new HashSet<>(noMarker);
        lost.addAll(noReply);
        return new Report.Row(s.name, load.accepted.size(), load.accepted.size() - noReply.size(), 0, lost.size(),
                (int) inboundDlq, -1, recovery, new ArrayList<>(failures), new ArrayList<>(s.notes), s.logs());
    }

    /** Redis (appendonly, fsync always) SIGKILLed during a drain and started again on its own files 6 s later. */
    static Report.Row redisRestartAof(Stage s) throws IOException {
        s.redis(true);
        s.standIn(50, 250);
        App w = s.workers(1, Map.of()).get(0);
        ReadyProbe probe = s.probe(w);
        s.replies().enqueueAll(Replies.plan("m", 200, 10));   // 20 a chat: an entry caught by the fault has successors
        s.awaitDelivered(40, 20_000);
        s.faultStartMs = System.currentTimeMillis();
        s.redis.kill();
        StandIn.sleep(6_000);   // longer than the client's own retries (2 x 1.5 s), so some commands fail for good
        s.redis.start();
        s.faultEndMs = System.currentTimeMillis();
        s.allowSendMarkWindow(s.faultStartMs, s.faultEndMs);
        s.awaitResolved(20_000);
        s.expectReadyAgain(probe);
        return s.finish(false);
    }

    /** Redis SIGKILLed and started empty: new replies must flow within 10 s (groups re-created), no hot loop. */
    static Report.Row redisRestartEmpty(Stage s) throws IOException {
        s.redis(false);
        s.standIn(0, 50);
        App w = s.workers(1, Map.of()).get(0);
        ReadyProbe probe = s.probe(w);
        Replies replies = s.replies();
        replies.enqueueAll(Replies.plan("before", 20, 10));
        s.awaitResolved(15_000);
        long lines0 = lines(w.log());
        long cpu0 = Procs.cpuTicks(w.process());
        s.faultStartMs = System.currentTimeMillis();
        s.redis.killAndWipe();
        StandIn.sleep(2_000);
        s.redis.start();
        s.faultEndMs = System.currentTimeMillis();
        for (Replies.Msg m : Replies.plan("after", 20, 10, 10)) {
            long end = System.currentTimeMillis() + 5_000;
            while (!replies.enqueue(m) && System.currentTimeMillis() < end) {
                StandIn.sleep(100);
            }
        }
        s.awaitResolved(20_000);
        StandIn.sleep(Math.max(0, s.faultStartMs + 15_000 - System.currentTimeMillis()));
        double seconds = (System.currentTimeMillis() - s.faultStartMs) / 1000.0;
        double linesPerS = (lines(w.log()) - lines0) / seconds;
        double cpu = (Procs.cpuTicks(w.process()) - cpu0) / seconds;   // ticks/s = % of one core
        s.notes.add(String.format("after the fault: %.1f log lines/s, %.0f%% of one core over %.0f s", linesPerS, cpu, seconds));
        if (linesPerS > 20 || cpu > 50) {
            s.failures.add(String.format("hot loop: %.1f log lines/s (limit 20), %.0f%% CPU (limit 50)", linesPerS, cpu));
        }
        s.expectReadyAgain(probe);
        return s.finish(false);
    }

    /** Redis frozen with SIGSTOP for 20 s during a drain: readiness DOWN meanwhile, recovery within 10 s. */
    static Report.Row redisFrozen(Stage s) throws IOException {
        s.redis(false);
        s.standIn(100, 300);
        App w = s.workers(1, Map.of()).get(0);
        ReadyProbe probe = s.probe(w);
        s.replies().enqueueAll(Replies.plan("m", 150, 30));
        s.awaitDelivered(20, 20_000);
        s.redis.freeze();
        s.faultStartMs = System.currentTimeMillis();
        StandIn.sleep(20_000);
        s.redis.thaw();
        s.faultEndMs = System.currentTimeMillis();
        s.allowSendMarkWindow(s.faultStartMs, s.faultEndMs);
        s.awaitResolved(20_000);
        s.expectNotReadyDuringFault(probe, 5_000);
        s.expectReadyAgain(probe);
        return s.finish(false);
    }

    /** Redis refuses writes (maxmemory 1, noeviction) for 15 s while draining one chat of 20 and 20 chats of 4. */
    static Report.Row redisMaxmemory(Stage s) throws IOException {
        s.redis(false);
        s.standIn(100, 300);
        App w = s.workers(1, Map.of()).get(0);
        ReadyProbe probe = s.probe(w);
        Replies replies = s.replies();
        replies.enqueueAll(Replies.plan("one", 20, 1));
        replies.enqueueAll(Replies.plan("many", 80, 20, 1));
        s.awaitDelivered(6, 20_000);
        s.redis.refuseWrites(true);
        s.faultStartMs = System.currentTimeMillis();
        StandIn.sleep(15_000);
        s.redis.refuseWrites(false);
        s.faultEndMs = System.currentTimeMillis();
        s.allowSendMarkWindow(s.faultStartMs, s.faultEndMs);
        s.awaitResolved(20_000);
        s.expectNotReadyDuringFault(probe, 5_000);
        s.expectReadyAgain(probe);
        return s.finish(false);
    }

    /** WA_MAX_DELIVERIES=2; every first attempt answered 500, then Evolution down 20 s while the retries (the last
     *  attempts) are due: I5 says none may be dead-lettered, and all are sent once it is back. */
    static Report.Row evolutionDownOnLastAttempt(Stage s) throws IOException {
        s.redis(false);
        s.standIn(0, 50).failFirstAttempt(true);
        s.workers(1, Map.of("WA_MAX_DELIVERIES", "2", "WA_BASE_BACKOFF", "1"));
        s.replies().enqueueAll(Replies.plan("m", 20, 20));
        long end = System.currentTimeMillis() + 10_000;
        while (s.standIn.attemptedCount() < 20 && System.currentTimeMillis() < end) {
            StandIn.sleep(10);
        }
        s.notes.add(s.standIn.attemptedCount() + " of 20 first attempts answered 500 before the outage");
        s.standIn.down();
        s.faultStartMs = System.currentTimeMillis();
        StandIn.sleep(20_000);
        s.standIn.failFirstAttempt(false);
        s.standIn.up();
        s.faultEndMs = System.currentTimeMillis();
        s.awaitResolved(20_000);
        return s.finish(true);
    }

    /** message ids of the inbound events that have a reply queued (metadata.in_reply_to of wa:<inst>:stream). */
    private static Set<String> repliedTo(Resp redis) {
        Set<String> ids = new HashSet<>();
        for (Object entry : redis.list("XRANGE", "wa:" + Stage.INSTANCE + ":stream", "-", "+")) {
            List<?> fields = (List<?>) ((List<?>) entry).get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("payload".equals(fields.get(i))) {
                    try {
                        JsonNode p = JSON.readTree((String) fields.get(i + 1));
                        ids.add(p.path("metadata").path("in_reply_to").asText(""));
                    } catch (IOException e) {
                        ids.add("unreadable: " + e.getMessage());
                    }
                }
            }
        }
        return ids;
    }

    private static long lines(Path log) throws IOException {
        try (var l = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return l.count();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
