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
