package io.whatsappqueue.send;

import static io.whatsappqueue.support.FakeEvolution.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replies waiting out a long back-off stay pending in Redis but do not occupy the worker: with one send at a
 * time, healthy replies queued after many failing ones still go out at once.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailingRepliesDoNotHoldUpOthersTest {
    private static final String INSTANCE = "clinic-hol";
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of(
            "WA_SEND_CONCURRENCY", "1",
            "WA_STREAM_READ_COUNT", "2",
            "WA_BASE_BACKOFF", "5",
            "WA_MAX_BACKOFF", "10",
            "WA_OUTAGE_THRESHOLD", "1000"));
    private static final FakeEvolution EVOLUTION = APP.evolution();

    @Test
    void healthyRepliesGoOutWhileFailingOnesWaitForTheirRetry() {
        IntStream.range(0, 8).forEach(i -> EVOLUTION.server().stubFor(
                FakeEvolution.sendTextTo("44770090700" + i).atPriority(1).willReturn(error(500, "\"busy\""))));
        String stream = Keys.sendStream(INSTANCE);
        IntStream.range(0, 8).forEach(i -> TestRedis.addPayload(stream,
                OutboundMessages.newPayload("fail-" + i, "44770090700" + i, "x", null)));
        IntStream.range(0, 3).forEach(i -> TestRedis.addPayload(stream,
                OutboundMessages.newPayload("ok-" + i, "44770090710" + i, "y", null)));

        // every failing reply has had its first try and now waits at least 5 s; the healthy ones must not wait
        await().atMost(Duration.ofSeconds(4)).until(() ->
                IntStream.range(0, 3).allMatch(i -> EVOLUTION.sendsTo("44770090710" + i) == 1));
        // Evolution's 201 comes before the worker acknowledges: wait for the acknowledgement, do not read at a moment
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(TestRedis.xlen(stream)).as("the healthy ones acknowledged, the failing ones still in the stream").isEqualTo(8));
        assertThat(IntStream.range(0, 8).mapToLong(i -> EVOLUTION.sendsTo("44770090700" + i)).max().orElse(0))
                .as("no failing reply was retried yet").isEqualTo(1);
    }
}
