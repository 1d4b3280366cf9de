package io.whatsappqueue.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.StreamFullException;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared token bucket paces a worker; a full stream refuses new replies instead of trimming. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitAndStreamLimitTest {
    // clinic-paced is drained by this worker; clinic-full has no reader (it is not in WA_INSTANCES)
    @RegisterExtension
    static final TestApp APP = TestApp.worker("clinic-paced").with(Map.of(
            "WA_TOKENS_PER_SECOND", "5",
            "WA_BUCKET_CAPACITY", "1",
            "WA_STREAM_MAXLEN", "12"));
    private static final FakeEvolution EVOLUTION = APP.evolution();

    @BeanInject
    ReplyQueue replyQueue;

    @Test
    void tokenBucketSpacesSendsAtTheConfiguredRate() {
        String stream = Keys.sendStream("clinic-paced");
        long enqueuedAt = System.currentTimeMillis();
        IntStream.range(0, 9).forEach(i -> replyQueue.enqueue("clinic-paced", "pace-" + i, "44770090060" + i, "x", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sends().size() == 9 && TestRedis.xlen(stream) == 0);

        List<Long> at = EVOLUTION.sends().stream().map(r -> r.getLoggedDate().getTime()).toList();
        // 9 sends at 5/s with a burst of 1 need 8 intervals of 200 ms after the first token
        assertThat(at.get(8) - enqueuedAt).isGreaterThanOrEqualTo(1550);
        // and no 1-second window holds more than the burst plus one second's tokens (plus one for timer jitter)
        for (long start : at) {
            assertThat(at.stream().filter(t -> t >= start && t < start + 1000).count()).isLessThanOrEqualTo(7);
        }
    }

    @Test
    void fullStreamRefusesANewReplyRatherThanDroppingAnUndeliveredOne() {
        String stream = Keys.sendStream("clinic-full");
        for (int i = 0; i < 12; i++) {
            assertThat(replyQueue.enqueue("clinic-full", "full-" + i, "447700900700", "t" + i, null).outcome())
                    .isEqualTo(ReplyQueue.Outcome.QUEUED);
        }
        assertThatThrownBy(() -> replyQueue.enqueue("clinic-full", "full-12", "447700900700", "t12", null))
                .isInstanceOf(StreamFullException.class).hasMessageContaining("WA_STREAM_MAXLEN");
        assertThat(TestRedis.xlen(stream)).isEqualTo(12);
        assertThat(TestRedis.entries(stream)).extracting(f -> f.get("payload")).allMatch(p -> !p.contains("full-12"));
        // the refused one left no idempotency marker behind, so it can be enqueued once there is room
        assertThat(TestRedis.client().getBucket(Keys.enqueued("clinic-full", "full-12")).isExists()).isFalse();
    }

    @Test
    void sameMessageIdIsQueuedOnce() {
        assertThat(replyQueue.enqueue("clinic-dup", "dup-1", "447700900800", "hi", null).outcome())
                .isEqualTo(ReplyQueue.Outcome.QUEUED);
        assertThat(replyQueue.enqueue("clinic-dup", "dup-1", "447700900800", "hi", null).outcome())
                .isEqualTo(ReplyQueue.Outcome.DUPLICATE);
        assertThat(TestRedis.xlen(Keys.sendStream("clinic-dup"))).isEqualTo(1);
    }
}
