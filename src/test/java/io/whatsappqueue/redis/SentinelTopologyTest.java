package io.whatsappqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.config.ConfigException;
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
 * Sentinel mode (REDIS_SENTINEL, REDIS_SENTINEL_MASTER; issue 10 point 1) against real processes: one master
 * with a password, one replica, three sentinels. The app finds the master through the sentinels, answers a
 * patient through Evolution, follows a SENTINEL FAILOVER and a SIGKILL of the master by itself within 10 s of
 * the sentinels naming the new master, and a wrong master name or a sentinel given as REDIS_URL stops start-up with one line naming the cause.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelTopologyTest {
    private static final String INSTANCE = "topo-sentinel";
    private static final String PASSWORD = "sentinel-data-secret";
    private static final RedisTopology REDIS = RedisTopology.sentinel(PASSWORD);

    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).closing(REDIS).with(Map.of(
            "REDIS_SENTINEL", REDIS.sentinelAddresses(), "REDIS_SENTINEL_MASTER", RedisTopology.MASTER_NAME,
            "REDIS_PASSWORD", PASSWORD, "WA_ROLE", "all", "WA_MAX_MESSAGE_AGE_S", "0"));

    @Test
    @Order(1)
    void aPatientsTextIsAnsweredThroughEvolutionWithTheMasterFoundByTheSentinels() {
        await().atMost(Duration.ofSeconds(10)).until(() -> APP.readiness() == 200);
        assertThat(post(INSTANCE, "447700900301")).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> APP.evolution().sendsTo("447700900301") == 1);
        assertThat(keysOf(REDIS.masterPort())).isPositive();
    }

    @Test
    @Order(2)
    void everyReadGoesToTheMasterSoNoneSeesAReplicaLaggingBehind() {
        int replica = REDIS.replicaPort();
        REDIS.cli(replica, "CONFIG", "RESETSTAT");

        assertThat(post(INSTANCE, "447700900304")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> APP.evolution().sendsTo("447700900304") == 1);

        // what the replica ran since: the master's replicated writes, and the health checks of sentinels and client
        java.util.List<String> reads = REDIS.cli(replica, "INFO", "commandstats").lines()
                .filter(l -> l.startsWith("cmdstat_")).map(l -> l.substring(8, l.indexOf(':')))
                .filter(c -> !java.util.Set.of("ping", "info", "select", "auth", "hello", "publish", "multi", "exec",
                        "replconf", "subscribe", "psubscribe", "unsubscribe", "punsubscribe").contains(c) && !c.startsWith("client|")
                        && !c.startsWith("config|") && !c.startsWith("command|"))
                .filter(c -> !REDIS.cli(replica, "COMMAND", "INFO", c.replace('|', ' ').split(" ")[0]).contains("write"))
                .toList();
        assertThat(reads).as("read commands the replica served").isEmpty();
    }

    @Test
    @Order(3)
    void afterASentinelFailoverTheAppWritesToTheNewMasterWithinTenSeconds() {
        int old = REDIS.masterPort();
        int promoted = REDIS.failover();
        long switched = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> post(INSTANCE, "447700900302") == 200);
        long followedMs = (System.nanoTime() - switched) / 1_000_000;
        await().atMost(Duration.ofSeconds(20)).until(() -> APP.evolution().sendsTo("447700900302") >= 1);

        assertThat(REDIS.info(promoted, "role")).isEqualTo("master");
        assertThat(REDIS.info(old, "role")).as("the old master follows the new one").isEqualTo("slave");
        assertThat(followedMs).as("ms from the failover to an accepted webhook").isLessThan(10_000);
        System.out.println("sentinel failover followed in " + followedMs + " ms");
    }

    @Test
    @Order(4)
    void afterTheMasterIsKilledTheAppWritesToThePromotedReplicaWithinTenSeconds() {
        long killedAt = System.nanoTime();
        int killed = REDIS.killMaster();
        long promotedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> post(INSTANCE, "447700900303") == 200);
        long acceptedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(() -> APP.evolution().sendsTo("447700900303") >= 1);

        assertThat(REDIS.masterPort()).isNotEqualTo(killed);
        System.out.println("sentinel master SIGKILL: promoted after " + (promotedAt - killedAt) / 1_000_000
                + " ms, webhook accepted " + (acceptedAt - promotedAt) / 1_000_000 + " ms later");
        REDIS.restart(killed);
    }

    @Test
    @Order(5)
    void aMasterNameNoSentinelKnowsStopsStartUpNamingIt() {
        Throwable e = catchThrowable(() -> RedisConnector.connect(new RedisTarget(RedisTarget.Mode.SENTINEL, "REDIS_SENTINEL",
                sentinels(), "no-such-master", null, PASSWORD, 0, false, null), 4));

        assertThat(e).isInstanceOf(ConfigException.class).hasMessage("REDIS_SENTINEL_MASTER: no sentinel at "
                + REDIS.sentinelAddresses() + " knows a master named 'no-such-master' (SENTINEL MASTERS lists the names they watch)");
    }

    @Test
    @Order(6)
    void aSentinelGivenAsRedisUrlStopsStartUpSayingToUseRedisSentinel() {
        String sentinel = REDIS.sentinelAddresses().split(",")[0];
        Throwable e = catchThrowable(() -> RedisConnector.connect("redis://" + sentinel, 4));

        assertThat(e).isInstanceOf(ConfigException.class).hasMessage("REDIS_URL: " + sentinel + " is a Redis Sentinel, "
                + "not a data node: set REDIS_SENTINEL=host:port,... (the sentinels) and REDIS_SENTINEL_MASTER instead of REDIS_URL");
    }

    @Test
    @Order(7)
    void aWrongPasswordStopsStartUpSayingTheCredentialsWereRefused() {
        Throwable e = catchThrowable(() -> RedisConnector.connect(new RedisTarget(RedisTarget.Mode.SENTINEL, "REDIS_SENTINEL",
                sentinels(), RedisTopology.MASTER_NAME, null, "not-the-password", 0, false, null), 4));

        assertThat(e).isInstanceOf(ConfigException.class).hasMessageStartingWith("REDIS_SENTINEL: Redis at ")
                .hasMessageContaining("refused the credentials (WRONGPASS").hasMessageNotContaining("not-the-password");
    }

    @Test
    @Order(8)
    void noSentinelListeningStopsStartUpSayingNothingAnswers() {
        String nowhere = "127.0.0.1:" + io.whatsappqueue.support.TestRedis.freePort();
        Throwable e = catchThrowable(() -> RedisConnector.connect(new RedisTarget(RedisTarget.Mode.SENTINEL, "REDIS_SENTINEL",
                java.util.List.of("redis://" + nowhere), RedisTopology.MASTER_NAME, null, null, 0, false, null), 4));

        assertThat(e).isInstanceOf(ConfigException.class).hasMessage("REDIS_SENTINEL: nothing answers at " + nowhere
                + " (connection refused): is Redis running and is the port right?");
    }

    @Test
    @Order(9)
    void oneSentinelDownDoesNotStopStartUp() {
        int down = Integer.parseInt(REDIS.sentinelAddresses().split(",")[2].split(":")[1]);
        REDIS.kill(down);
        try {
            org.redisson.api.RedissonClient client = RedisConnector.connect(new RedisTarget(RedisTarget.Mode.SENTINEL,
                    "REDIS_SENTINEL", sentinels(), RedisTopology.MASTER_NAME, null, PASSWORD, 0, false, null), 2);
            try {
                client.getBucket("topo-sentinel-one-down").set("yes");
            } finally {
                client.shutdown();
            }
            assertThat(REDIS.cli(REDIS.masterPort(), "GET", "topo-sentinel-one-down")).isEqualTo("yes");
        } finally {
            REDIS.restart(down);
        }
    }

    private static java.util.List<String> sentinels() {
        return java.util.Arrays.stream(REDIS.sentinelAddresses().split(",")).map(a -> "redis://" + a).toList();
    }

    private static long keysOf(int port) {
        return REDIS.cli(port, "--scan", "--pattern", "*" + INSTANCE + "*").lines().count();
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
