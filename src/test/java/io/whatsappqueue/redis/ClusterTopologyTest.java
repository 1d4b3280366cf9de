package io.whatsappqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.config.ConfigException;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.RedisTopology;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.Webhooks;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cluster mode (REDIS_CLUSTER; issue 10 point 1) against 3 masters with one replica each: the app finds every
 * master from the seed nodes and answers patients of instances whose keys live on different masters; after a
 * CLUSTER FAILOVER or a SIGKILL of an instance's master it answers again within 10 s of the replica's promotion. A Cluster node given as REDIS_URL
 * stops start-up saying to use REDIS_CLUSTER.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTopologyTest {
    /** Three instances; their hash tags fall in slots 0-5460, 5461-10922 and 10923-16383 (CLUSTER KEYSLOT). */
    private static final String[] INSTANCES = {"topo-cl-a", "topo-cl-b", "topo-cl-d"};
    private static final RedisTopology REDIS = RedisTopology.cluster();

    @RegisterExtension
    static final TestApp APP = TestApp.worker(String.join(",", INSTANCES)).closing(REDIS).with(Map.of(
            "REDIS_CLUSTER", REDIS.seedNodes(), "WA_ROLE", "all", "WA_MAX_MESSAGE_AGE_S", "0",
            "ADMIN_TOKEN", TestApp.ADMIN_TOKEN,
            // replies go through the burst debounce, whose Lua steps must keep to one hash slot
            "WA_DEBOUNCE_MS", "500"));

    @Test
    @Order(1)
    void patientsOfInstancesOnDifferentMastersAreAllAnswered() {
        await().atMost(Duration.ofSeconds(10)).until(() -> APP.readiness() == 200);
        assertThat(java.util.Arrays.stream(INSTANCES).map(i -> REDIS.masterOf("{" + i + "}")).distinct().count())
                .as("the instances' hash tags are served by three different masters").isEqualTo(3);
        for (int i = 0; i < INSTANCES.length; i++) {
            assertThat(post(INSTANCES[i], "44770090032" + i)).as(INSTANCES[i]).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> APP.evolution().sendsTo("447700900320") == 1
                && APP.evolution().sendsTo("447700900321") == 1 && APP.evolution().sendsTo("447700900322") == 1);
    }

    @Test
    @Order(3)
    void afterAClusterFailoverOfAnInstancesMasterItsPatientsAreAnsweredWithinTenSeconds() {
        String tag = "{" + INSTANCES[0] + "}";
        int old = REDIS.masterOf(tag);
        int promoted = REDIS.failoverMasterOf(tag);
        long switched = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> post(INSTANCES[0], "447700900325") == 200);
        long followedMs = (System.nanoTime() - switched) / 1_000_000;
        await().atMost(Duration.ofSeconds(20)).until(() -> APP.evolution().sendsTo("447700900325") >= 1);

        assertThat(REDIS.masterOf(tag)).isEqualTo(promoted).isNotEqualTo(old);
        System.out.println("cluster failover followed in " + followedMs + " ms");
    }

    @Test
    @Order(4)
    void afterAnInstancesMasterIsKilledItsReplicaTakesOverAndItsPatientsAreAnsweredWithinTenSeconds() {
        String tag = "{" + INSTANCES[1] + "}";
        long killedAt = System.nanoTime();
        int killed = REDIS.killMasterOf(tag);
        long promotedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> post(INSTANCES[1], "447700900326") == 200);
        long acceptedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(() -> APP.evolution().sendsTo("447700900326") >= 1);

        assertThat(REDIS.masterOf(tag)).isNotEqualTo(killed);
        System.out.println("cluster master SIGKILL: promoted after " + (promotedAt - killedAt) / 1_000_000
                + " ms, webhook accepted " + (acceptedAt - promotedAt) / 1_000_000 + " ms later");
    }

    @Test
    @Order(5)
    void aClusterNodeGivenAsRedisUrlStopsStartUpSayingToUseRedisCluster() {
        String node = "127.0.0.1:" + REDIS.masterOf("{" + INSTANCES[2] + "}");
        Throwable e = catchThrowable(() -> RedisConnector.connect("redis://" + node, 2));

        assertThat(e).isInstanceOf(ConfigException.class).hasMessage("REDIS_URL: " + node + " is a Redis Cluster node: set "
                + "REDIS_CLUSTER=host:port,... (its nodes) instead of REDIS_URL");
    }

    @Test
    @Order(2)
    void operatorsSeeEveryInstanceAndReplayADeadLetterOnItsOwnMaster() throws Exception {
        String instance = INSTANCES[2];
        String number = "447700900327";
        // Evolution refuses this number for good: the reply is dead-lettered on the instance's master
        APP.evolution().server().stubFor(FakeEvolution.sendText().withRequestBody(
                        com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.number",
                                com.github.tomakehurst.wiremock.client.WireMock.containing(number)))
                .atPriority(1).willReturn(FakeEvolution.error(400,
                        "[{\"jid\":\"" + number + "@s.whatsapp.net\",\"exists\":false,\"number\":\"" + number + "\"}]"))
                .withId(java.util.UUID.nameUUIDFromBytes(number.getBytes())));
        assertThat(post(instance, number)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin("GET", "/admin/streams/dlq?instance=" + instance, null)
                .body().contains("number_not_on_whatsapp"));

        for (String i : INSTANCES) {
            HttpResponse<String> health = admin("GET", "/admin/streams/health?instance=" + i, null);
            assertThat(health.statusCode()).as(i).isEqualTo(200);
            assertThat(health.body()).as(i).contains("\"instance\":\"" + i + "\"");
        }
        assertThat(admin("GET", "/admin/streams/health?instance=" + instance, null).body()).contains("\"dlq_depth\":1");
        assertThat(admin("POST", "/admin/chats/" + number + "/pause?instance=" + instance, "{}").statusCode()).isEqualTo(200);
        assertThat(admin("POST", "/admin/chats/" + number + "/resume?instance=" + instance, "{}").statusCode()).isEqualTo(200);

        // the number is on WhatsApp after all: the replay (send stream, DLQ and send markers: one slot) sends it
        APP.evolution().server().removeStub(java.util.UUID.nameUUIDFromBytes(number.getBytes()));
        HttpResponse<String> replay = admin("POST", "/admin/streams/dlq/replay?instance=" + instance, "{\"all\":true}");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> APP.evolution().sendsTo(number) == 2);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                admin("GET", "/admin/streams/health?instance=" + instance, null).body().contains("\"dlq_depth\":0"));
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(APP.url(path))).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(9)
    void noNodeListeningStopsStartUpSayingNothingAnswers() {
        String nowhere = "127.0.0.1:" + io.whatsappqueue.support.TestRedis.freePort();
        Throwable e = catchThrowable(() -> RedisConnector.connect(new RedisTarget(RedisTarget.Mode.CLUSTER, "REDIS_CLUSTER",
                java.util.List.of("redis://" + nowhere), null, null, null, 0, false, null), 4));

        assertThat(e).isInstanceOf(ConfigException.class).hasMessage("REDIS_CLUSTER: nothing answers at " + nowhere
                + " (connection refused): is Redis running and is the port right?");
    }

    /** A patient's new text (fresh message id) to {@code instance}'s webhook; the HTTP status. */
    private static int post(String instance, String number) {
        try {
            return Webhooks.post(APP.port(), Webhooks.textMessage(instance, "TOPO" + java.util.UUID.randomUUID().toString()
                    .replace("-", "").toUpperCase(), number, "What are your opening hours on Saturday?")).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
