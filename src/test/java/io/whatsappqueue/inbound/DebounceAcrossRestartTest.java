package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import static io.whatsappqueue.inbound.BurstDebounceTest.newKeyId;
import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst split by a stop: the first part is accepted, then the web process stops in the middle of the window, the
 * next one starts and the second part comes. One reply answers both parts. Each test method runs in its own Camel
 * context against the same Redis: the first is the process that stopped, the second the one after it. The window is
 * long enough to outlast a restart on a loaded machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@CamelMainTest(configurationClasses = AppConfiguration.class)
class DebounceAcrossRestartTest {
    private static final String INSTANCE = "acme-burst-restart";
    private static final String NUMBER = "447700900711";
    private static final String PART_ONE = newKeyId();
    private static final String PART_TWO = newKeyId();
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of(
            "WA_DEBOUNCE_MS", "20000", "WA_DEBOUNCE_MAX_MS", "60000", "AI_TIMEOUT_MS", "15000"));

    @Test
    @Order(1)
    void firstProcessAcceptsTheFirstPartAndStopsMidWindow() {
        var res = env.postWebhook(bytes(env.textMessage(PART_ONE, NUMBER, "My daughter has a fever since yesterday")));
        assertThat(read(res.body()).path("status").asText()).isEqualTo("accepted");
        await().atMost(Duration.ofSeconds(20)).until(() -> held() == 1);
        assertThat(env.aiCalls()).isZero();
    }

    @Test
    @Order(2)
    void nextProcessAnswersBothPartsWithOneReply() {
        assertThat(held()).as("the first part is still waiting for its window after the restart").isEqualTo(1);
        var res = env.postWebhook(bytes(env.textMessage(PART_TWO, NUMBER, "can she be seen today?")));
        assertThat(read(res.body()).path("status").asText()).isEqualTo("accepted");

        await().atMost(Duration.ofSeconds(60)).until(() -> env.repliesTo(PART_TWO).size() == 1);
        assertThat(env.aiUserMessages()).containsExactly("My daughter has a fever since yesterday\ncan she be seen today?");
        assertThat(env.repliesTo(PART_ONE)).isEmpty();
        assertThat(env.sendQueue()).hasSize(1);
    }

    /** How many messages the chat's burst holds. */
    private static int held() {
        String n = env.redis.<String, String>getMap(Keys.burst(INSTANCE, Keys.chat(NUMBER + "@s.whatsapp.net")),
                StringCodec.INSTANCE).get("n");
        return n == null ? 0 : Integer.parseInt(n);
    }
}
