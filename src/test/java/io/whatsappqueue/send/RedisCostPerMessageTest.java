package io.whatsappqueue.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.RedisMonitor;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

/**
 * The Redis cost of a sent message (issue 11): the send route's checks ride on the read's script and its
 * bookkeeping on the acknowledgement's, so a message costs at most 1.5 commands sent to Redis (round trips),
 * counted with MONITOR on the test's own Redis while a warm worker drains a backlog.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCostPerMessageTest {
    private static final String INSTANCE = "clinic-cost";
    private static final String STREAM = Keys.sendStream(INSTANCE);
    private static final int WARM_UP = 20;
    private static final int N = 300;
    /** Blocking reads that came back empty between batches, and scripts loaded for the first time. */
    private static final int SLACK = 20;
    /**
     * Sent on timers, whatever the traffic, so their number follows the drain's duration on a loaded machine: the
     * send gate's connection states (mget, 1/s), readiness (ping, psetex of the probe key), the served-instance
     * list (smembers), the keeper's heartbeat and fresh claims (zadd, xclaim). bench/send/redis-cost.sh counts them.
     */
    private static final Set<String> TIMERS = Set.of("mget", "ping", "psetex", "smembers", "zadd", "xclaim");
    /** The fill (eval) and this test's polls (xlen, xpending): the worker sends none of them at top level. */
    private static final Set<String> TESTS_OWN = Set.of("eval", "xlen", "xpending");
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of("WA_STREAM_READ_COUNT", "10", "WA_SEND_CONCURRENCY", "8"));
    private static final FakeEvolution EVOLUTION = APP.evolution();

    /** N entries of N chats in one EVAL, as the previous system's producer wrote them (reply format). */
    private static final String FILL = """
            for i = 1, tonumber(ARGV[1]) do
              local id = ARGV[2] .. i
              redis.call('XADD', KEYS[1], '*', 'payload', '{"message_id":"' .. id .. '","to":"4477009' ..
                string.format('%05d', i) .. '","text":"cost ' .. id .. '","queued_at":1,"attempts":0,"metadata":{}}')
            end
            return 1""";

    @Test
    void aSentMessageCostsAtMostOneAndAHalfRoundTripsToRedis() throws Exception {
        fill(WARM_UP, "warm-");
        awaitDrained(WARM_UP);

        int topLevel;
        Map<String, Integer> byCommand;
        Set<String> ignored = new java.util.HashSet<>(TIMERS);
        ignored.addAll(TESTS_OWN);
        try (RedisMonitor monitor = new RedisMonitor(ignored)) {
            fill(N, "cost-");
            awaitDrained(WARM_UP + N);
            topLevel = monitor.topLevelTotal();
            byCommand = monitor.topLevel();
        }

        assertThat(topLevel).as("commands sent to Redis for %d messages: %s", N, byCommand)
                .isLessThanOrEqualTo(N * 3 / 2 + SLACK);
        assertThat(EVOLUTION.sends()).hasSize(WARM_UP + N);
        assertThat(TestRedis.client().getMap(Keys.status(INSTANCE, "cost-" + N), StringCodec.INSTANCE).get("status"))
                .isEqualTo("sent");
        assertThat(TestRedis.client().getBucket(Keys.sent(INSTANCE, "cost-1"), StringCodec.INSTANCE).isExists()).isTrue();
    }

    private static void fill(int n, String prefix) {
        TestRedis.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, FILL, RScript.ReturnType.INTEGER,
                List.of(STREAM), String.valueOf(n), prefix);
    }

    /** Every POST arrived, and every entry is acknowledged and deleted (asked with redis-cli: XLEN, XPENDING only). */
    private static void awaitDrained(int sends) {
        await().atMost(Duration.ofSeconds(60)).until(() -> EVOLUTION.sends().size() >= sends);
        await().atMost(Duration.ofSeconds(20)).until(() -> "0".equals(TestRedis.command("XLEN", STREAM))
                && TestRedis.command("XPENDING", STREAM, Keys.SEND_GROUP).startsWith("0"));
    }
}
