package io.whatsappqueue.send;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two real worker processes on one Redis, as operators scale them: nothing lost when one dies mid-flight,
 * the token bucket holds for both together, per-chat order holds across both, SIGTERM drains gracefully.
 */
class TwoWorkersTest {
    @RegisterExtension
    static final TestApp REDIS = TestApp.processes("clinic-kill,clinic-slow,clinic-shared-rate,clinic-order,clinic-sigterm");
    private FakeEvolution evolution;
    private final List<WorkerProcess> workers = new java.util.ArrayList<>();

    @BeforeEach
    void startEvolution() {
        evolution = new FakeEvolution();
    }

    @AfterEach
    void stopAll() {
        workers.forEach(WorkerProcess::close);
        evolution.stop();
    }

    private WorkerProcess worker(String instance, Map<String, String> overrides) {
        WorkerProcess w = WorkerProcess.startWorker(TestApp.workerEnv(instance, evolution.url(), overrides));
        workers.add(w);
        return w;
    }

    private static void enqueue(String instance, String id, String to, String text) {
        TestRedis.addPayload(Keys.sendStream(instance), OutboundMessages.newPayload(id, to, text, null));
    }

    @Test
    void workerKilledMidFlightLosesNothingTheOtherReclaimsItsEntries() {
        String instance = "clinic-kill";
        evolution.server().stubFor(FakeEvolution.sendText().atPriority(1).willReturn(FakeEvolution.created().withFixedDelay(400)));
        Map<String, String> cfg = Map.of("WA_STREAM_CLAIM_IDLE_MS", "3000", "WA_SEND_CONCURRENCY", "4");
        WorkerProcess a = worker(instance, cfg);
        WorkerProcess b = worker(instance, cfg);
        IntStream.range(0, 40).forEach(i -> enqueue(instance, "kill-" + i, "44770091" + String.format("%04d", i), "m" + i));

        await().atMost(Duration.ofSeconds(20)).until(() -> evolution.sends().size() >= 6);
        a.kill();   // SIGKILL with sends in flight and entries read but unacknowledged

        await().atMost(Duration.ofSeconds(60)).until(() -> TestRedis.xlen(Keys.sendStream(instance)) == 0);
        IntStream.range(0, 40).forEach(i ->
                assertThat(evolution.sendsTo("44770091" + String.format("%04d", i))).as("message %d", i).isGreaterThanOrEqualTo(1));
        assertThat(TestRedis.pending(Keys.sendStream(instance), Keys.SEND_GROUP)).isZero();
        assertThat(TestRedis.xlen(Keys.deadLetters(instance))).isZero();
        // duplicates are only possible for sends that were on the wire when the process died
        long duplicates = evolution.sends().size() - 40;
        assertThat(duplicates).isLessThanOrEqualTo(4);

        // the dead worker's consumer, now holding nothing, is removed so consumer counts tell the truth
        String dead = consumerName(a);
        String alive = consumerName(b);
        await().atMost(Duration.ofSeconds(90)).until(() -> consumers(instance).stream().noneMatch(dead::equals));
        assertThat(consumers(instance)).contains(alive);
    }

    @Test
    void workerKilledWithChatsInFlightStallsNoChatAndEachChatKeepsItsOrder() {
        String instance = "clinic-kill-chats";
        // Evolution answers after the typing delay it is asked for, as the real one does
        evolution.server().stubFor(FakeEvolution.sendText().atPriority(1).willReturn(FakeEvolution.created().withFixedDelay(300)));
        Map<String, String> cfg = Map.of("WA_STREAM_CLAIM_IDLE_MS", "3000", "WA_SEND_CONCURRENCY", "8");
        WorkerProcess a = worker(instance, cfg);
        worker(instance, cfg);
        ReplyQueue queue = new ReplyQueue(TestRedis.client(), 100_000);
        int chats = 25;
        for (int part = 0; part < 4; part++) {
            for (int c = 0; c < chats; c++) {
                queue.enqueue(instance, "chat-" + c + "-" + part, "44770096" + String.format("%04d", c), "part " + part, null);
            }
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> evolution.sends().size() >= 10);
        a.kill();   // its in-flight entries are the heads of their chats; later replies of those chats wait behind them

        await().atMost(Duration.ofSeconds(60)).until(() -> TestRedis.xlen(Keys.sendStream(instance)) == 0);
        Map<String, List<String>> byChat = new HashMap<>();
        for (JsonNode b : evolution.sentBodies()) {
            byChat.computeIfAbsent(b.path("number").asText(), k -> new java.util.ArrayList<>()).add(b.path("text").asText());
        }
        assertThat(byChat).hasSize(chats);
        byChat.forEach((number, texts) -> assertThat(texts.stream().distinct().toList()).as("first receipt order of %s", number)
                .containsExactly("part 0", "part 1", "part 2", "part 3"));
        assertThat(evolution.sends().size() - 4 * chats).as("duplicates: only sends in flight in the killed worker")
                .isLessThanOrEqualTo(8);
        assertThat(TestRedis.xlen(Keys.deadLetters(instance))).isZero();
    }

    @Test
    void sendSlowerThanTheClaimIdleTimeIsNeverStolenAndSentTwice() {
        String instance = "clinic-slow";
        evolution.server().stubFor(FakeEvolution.sendText().atPriority(1).willReturn(FakeEvolution.created().withFixedDelay(2500)));
        Map<String, String> cfg = Map.of("WA_STREAM_CLAIM_IDLE_MS", "1000", "WA_SEND_CONCURRENCY", "4");
        worker(instance, cfg);
        worker(instance, cfg);
        IntStream.range(0, 6).forEach(i -> enqueue(instance, "slow-" + i, "44770095" + String.format("%04d", i), "m" + i));

        await().atMost(Duration.ofSeconds(40)).until(() -> TestRedis.xlen(Keys.sendStream(instance)) == 0);
        IntStream.range(0, 6).forEach(i ->
                assertThat(evolution.sendsTo("44770095" + String.format("%04d", i))).as("message %d", i).isEqualTo(1));
    }

    private static String consumerName(WorkerProcess w) {
        return w.output().stream().filter(l -> l.contains("Consuming stream of")).findFirst()
                .map(l -> l.replaceAll(".* as (wq-\\S+) in group.*", "$1")).orElseThrow();
    }

    private static List<String> consumers(String instance) {
        return TestRedis.stream(Keys.sendStream(instance)).listConsumers(Keys.SEND_GROUP).stream()
                .map(org.redisson.api.StreamConsumer::getName).toList();
    }

    @Test
    void twoWorkersTogetherStayWithinTheSharedTokenBucket() {
        String instance = "clinic-shared-rate";
        Map<String, String> cfg = Map.of("WA_TOKENS_PER_SECOND", "10", "WA_BUCKET_CAPACITY", "2");
        worker(instance, cfg);
        worker(instance, cfg);
        long start = System.currentTimeMillis();
        IntStream.range(0, 32).forEach(i -> enqueue(instance, "rate-" + i, "44770092" + String.format("%04d", i), "m" + i));

        await().atMost(Duration.ofSeconds(30)).until(() -> evolution.sends().size() == 32);
        List<Long> at = evolution.sends().stream().map(r -> r.getLoggedDate().getTime()).toList();
        // 32 sends at 10/s with a burst of 2: at least 30 intervals of 100 ms after the first tokens
        assertThat(at.get(31) - start).isGreaterThanOrEqualTo(2900);
        // tokens are reserved before the POST, so the cold first requests of two fresh JVMs can land late and
        // bunch with later ones; once warm, no second holds more than the burst plus a second of tokens (+1 jitter)
        long warm = at.get(0) + 1000;
        for (long t0 : at.stream().filter(t -> t >= warm).toList()) {
            assertThat(at.stream().filter(t -> t >= t0 && t < t0 + 1000).count())
                    .as("sends in the second after %d", t0).isLessThanOrEqualTo(13);
        }
    }

    @Test
    void repliesToEachChatLeaveInQueueOrderAcrossTwoWorkers() {
        String instance = "clinic-order";
        evolution.server().stubFor(FakeEvolution.sendText().atPriority(1)
                .willReturn(FakeEvolution.created().withUniformRandomDelay(0, 30)));
        Map<String, String> cfg = Map.of("WA_SEND_CONCURRENCY", "8", "WA_STREAM_READ_COUNT", "5");
        worker(instance, cfg);
        worker(instance, cfg);
        for (int m = 0; m < 12; m++) {
            for (int chat = 0; chat < 6; chat++) {
                enqueue(instance, "ord-" + chat + "-" + m, "4477009300" + chat, "chat " + chat + " #" + m);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> evolution.sends().size() == 72);
        Map<String, List<String>> byChat = evolution.sentBodies().stream().collect(Collectors.groupingBy(
                b -> b.path("number").asText(), HashMap::new, Collectors.mapping(b -> b.path("text").asText(), Collectors.toList())));
        for (int chat = 0; chat < 6; chat++) {
            final int c = chat;
            assertThat(byChat.get("4477009300" + chat)).containsExactlyElementsOf(
                    IntStream.range(0, 12).mapToObj(m -> "chat " + c + " #" + m).toList());
        }
    }

    @Test
    void sigtermStopsReadingFinishesOrLeavesInFlightSendsPendingAndExitsWithin30Seconds() throws Exception {
        String instance = "clinic-sigterm";
        evolution.server().stubFor(FakeEvolution.sendText().atPriority(1).willReturn(FakeEvolution.created().withFixedDelay(1500)));
        WorkerProcess a = worker(instance, Map.of("WA_SEND_CONCURRENCY", "4", "WA_STREAM_CLAIM_IDLE_MS", "2000"));
        IntStream.range(0, 20).forEach(i -> enqueue(instance, "term-" + i, "44770094" + String.format("%04d", i), "m" + i));
        await().atMost(Duration.ofSeconds(20)).until(() -> evolution.sends().size() >= 2);

        long t0 = System.currentTimeMillis();
        a.terminate();
        a.awaitExit(30);
        assertThat(System.currentTimeMillis() - t0).isLessThan(30_000);
        long delivered = evolution.sends().stream().map(r -> r.getBodyAsString()).distinct().count();
        assertThat(delivered + TestRedis.xlen(Keys.sendStream(instance))).as("every message sent or still queued")
                .isGreaterThanOrEqualTo(20);
        assertThat(TestRedis.xlen(Keys.deadLetters(instance))).isZero();

        worker(instance, Map.of("WA_SEND_CONCURRENCY", "8", "WA_STREAM_CLAIM_IDLE_MS", "2000"));
        await().atMost(Duration.ofSeconds(60)).until(() -> TestRedis.xlen(Keys.sendStream(instance)) == 0);
        IntStream.range(0, 20).forEach(i ->
                assertThat(evolution.sendsTo("44770094" + String.format("%04d", i))).isGreaterThanOrEqualTo(1));
    }
}
