package io.whatsappqueue.send;

import static io.whatsappqueue.support.FakeEvolution.created;
import static io.whatsappqueue.support.FakeEvolution.error;
import static io.whatsappqueue.support.FakeEvolution.sendText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.redisnode.RedisNodes;

/**
 * The engine under faults that do not need a second process: Redis refusing writes (I1, I3, I7) and an
 * Evolution outage that begins while messages are on their last attempt (I5). Process kills are in
 * TwoWorkersTest and the fault suite (fault/).
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineFaultsTest {
    @RegisterExtension
    static final TestApp APP = TestApp.worker("faults-oom,faults-last").with(Map.of(
            "WA_MAX_DELIVERIES", "1",
            "WA_OUTAGE_THRESHOLD", "3",
            "WA_STREAM_CLAIM_IDLE_MS", "3000"));
    private static final FakeEvolution EVOLUTION = APP.evolution();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @AfterAll
    void restoreRedis() {
        maxMemory("0");
    }

    @Test
    void aRedisRefusingWritesDelaysAChatButNeverStallsItAndReadinessSaysSo() {
        String instance = "faults-oom";
        // Evolution answers after 1.5 s, so the first message's acknowledgement falls inside the refusal
        EVOLUTION.server().stubFor(WireMock.post("/message/sendText/" + instance).atPriority(1)
                .willReturn(created().withFixedDelay(1500)));
        ReplyQueue queue = new ReplyQueue(TestRedis.client(), 1000);
        IntStream.range(0, 10).forEach(i -> queue.enqueue(instance, "oom-" + i, "447700909001", "part " + i, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> sendsFor(instance).size() >= 1);

        maxMemory("1");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness() == 503);
            // and it stays DOWN while writes are refused (the first message's answer arrives meanwhile)
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> readiness() == 503);
        } finally {
            maxMemory("0");
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> TestRedis.xlen(Keys.sendStream(instance)) == 0);
        // each exactly once: the first message's acknowledgement and send marker waited for Redis, it was not sent again
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> sendsFor(instance).size() == 10);
        assertThat(sendsFor(instance)).containsExactly(IntStream.range(0, 10).mapToObj(i -> "part " + i).toArray(String[]::new));
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness() == 200);
    }

    @Test
    void aMasterDemotedToReplicaMakesReadinessDownWithNoTrafficAndUpOnceItTakesWritesAgain() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness() == 200);
        // what a Sentinel failover does to the old master, or REDIS_URL left pointing at it: PING still answers,
        // every write is refused with READONLY
        TestRedis.command("REPLICAOF", "127.0.0.1", String.valueOf(TestRedis.freePort()));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> readiness() == 503);
            // the Redis check itself says why, not only the consumers that happened to be reading
            await().atMost(Duration.ofSeconds(5)).until(() -> HTTP.send(HttpRequest.newBuilder(
                    URI.create(APP.managementUrl("/observe/health"))).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()
                    .matches("(?is).*\\{\"name\":\"redis\",\"status\":\"DOWN\",\"message\":\"[^\"]*readonly.*"));
        } finally {
            TestRedis.command("REPLICAOF", "NO", "ONE");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness() == 200);
    }

    @Test
    void anOutageThatBeginsWhileMessagesAreOnTheirLastAttemptDeadLettersNone() {
        String instance = "faults-last";
        String down = "down-" + instance;
        // with WA_MAX_DELIVERIES=1 every try is a last attempt
        EVOLUTION.server().stubFor(WireMock.post("/message/sendText/" + instance).atPriority(1)
                .willReturn(error(503, "\"Service Unavailable\"")).withId(java.util.UUID.nameUUIDFromBytes(down.getBytes())));
        EVOLUTION.server().stubFor(WireMock.get("/instance/connectionState/" + instance).atPriority(1)
                .willReturn(error(503, "\"down\"")).withId(java.util.UUID.nameUUIDFromBytes((down + "-state").getBytes())));
        ReplyQueue queue = new ReplyQueue(TestRedis.client(), 1000);
        IntStream.range(0, 5).forEach(i -> queue.enqueue(instance, "last-" + i, "44770090910" + i, "m" + i, null));

        await().atMost(Duration.ofSeconds(10)).until(() -> sendsFor(instance).size() >= 1);
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(TestRedis.xlen(Keys.deadLetters(instance))).as("nothing dead-lettered during the outage").isZero();

        EVOLUTION.server().removeStub(java.util.UUID.nameUUIDFromBytes(down.getBytes()));
        EVOLUTION.server().removeStub(java.util.UUID.nameUUIDFromBytes((down + "-state").getBytes()));
        await().atMost(Duration.ofSeconds(15)).until(() -> TestRedis.xlen(Keys.sendStream(instance)) == 0);
        assertThat(TestRedis.xlen(Keys.deadLetters(instance))).isZero();
        IntStream.range(0, 5).forEach(i -> assertThat(EVOLUTION.sendsTo("44770090910" + i)).isGreaterThanOrEqualTo(1));
    }

    private static List<String> sendsFor(String instance) {
        return EVOLUTION.sends().stream().filter(r -> r.getUrl().endsWith("/" + instance))
                .map(r -> FakeEvolution.json(r.getBodyAsString()).path("text").asText()).toList();
    }

    private static void maxMemory(String value) {
        TestRedis.client().getRedisNodes(RedisNodes.SINGLE).getInstance().setConfig("maxmemory", value);
    }

    private static int readiness() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(APP.managementUrl("/observe/health/ready"))).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
