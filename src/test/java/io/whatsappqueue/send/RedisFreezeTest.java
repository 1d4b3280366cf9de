package io.whatsappqueue.send;

import static io.whatsappqueue.support.FakeEvolution.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.EmbeddedRedis;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.RedisConnector;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * I1, I2, I3 across a Redis that stops answering (SIGSTOP) while a send is on the wire: the message Evolution
 * accepted is acknowledged once Redis is back (its acknowledgement and send marker wait, they are not dropped), so
 * nothing is sent twice and the chat's later replies follow in order. Its own Redis, frozen by the test.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisFreezeTest {
    private static final int REDIS_PORT = TestRedis.freePort();
    private static final EmbeddedRedis REDIS = EmbeddedRedis.start(null, REDIS_PORT);
    private static final String INSTANCE = "freeze";

    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of(
            "REDIS_URL", "redis://127.0.0.1:" + REDIS_PORT,
            "WA_STREAM_CLAIM_IDLE_MS", "3000"));
    private static final FakeEvolution EVOLUTION = APP.evolution();

    @AfterAll
    void stopRedis() throws Exception {
        signal("CONT");
        REDIS.close();
    }

    @Test
    void aSendAnsweredWhileRedisIsFrozenIsAcknowledgedAfterwardsNotSentAgain() throws Exception {
        // Evolution answers after 1.5 s: the first message's acknowledgement falls inside the freeze
        EVOLUTION.server().stubFor(WireMock.post("/message/sendText/" + INSTANCE).atPriority(1)
                .willReturn(created().withFixedDelay(1500)));
        RedissonClient client = RedisConnector.connect("redis://127.0.0.1:" + REDIS_PORT, 2);
        try {
            ReplyQueue queue = new ReplyQueue(client, 1000);
            IntStream.range(0, 5).forEach(i -> queue.enqueue(INSTANCE, "freeze-" + i, "447700909301", "part " + i, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() >= 1);

            signal("STOP");
            try {
                // frozen longer than the claim idle time: nothing may take the answered entry over and send it again
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> sends().size() == 1);
            } finally {
                signal("CONT");
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> client.getStream(Keys.sendStream(INSTANCE),
                    StringCodec.INSTANCE).size() == 0);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> sends().size() == 5);
            assertThat(sends()).containsExactly("part 0", "part 1", "part 2", "part 3", "part 4");
        } finally {
            client.shutdown();
        }
    }

    private static List<String> sends() {
        return EVOLUTION.sends().stream().map(r -> FakeEvolution.json(r.getBodyAsString()).path("text").asText()).toList();
    }

    private static void signal(String sig) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + sig, String.valueOf(REDIS.pid())).start().waitFor()).isZero();
    }
}
