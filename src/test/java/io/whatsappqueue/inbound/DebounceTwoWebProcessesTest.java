package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.WorkerProcess;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
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
 * Two web processes on one Redis (this JVM's app and a separate one), both holding bursts and both looking for due
 * ones: a burst whose parts came to different processes is answered exactly once, with both parts; and a burst whose
 * first part went to a process that is then killed (SIGKILL, mid-window) loses nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@CamelMainTest(configurationClasses = AppConfiguration.class)
class DebounceTwoWebProcessesTest {
    private static final String INSTANCE = "acme-burst-two";
    /**
     * Both processes' settings. No event is taken over from the other process while it works on it (a long claim
     * idle time, an AI time budget a loaded machine keeps): each AI call then stands for one burst put back.
     */
    private static final Map<String, String> DEBOUNCE = Map.of("WA_DEBOUNCE_MS", "3000", "WA_DEBOUNCE_MAX_MS", "15000",
            "WA_STREAM_CLAIM_IDLE_MS", "30000", "AI_TIMEOUT_MS", "15000");
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, DEBOUNCE);
    private static WorkerProcess other;
    private static int otherPort;

    @AfterAll
    static void stopOther() {
        if (other != null) {
            other.close();
        }
    }

    /** The second web process: the same deployment's settings, its own port. */
    private static void startOther() {
        if (other != null) {
            return;
        }
        otherPort = TestRedis.freePort();
        Map<String, String> e = new LinkedHashMap<>(DEBOUNCE);
        e.put("REDIS_URL", TestRedis.url());
        e.put("PORT", String.valueOf(otherPort));
        e.put("WA_ROLE", "web");
        e.put("WA_INSTANCES", INSTANCE);
        e.put("WEBHOOK_TOKEN", InboundTestEnv.TOKEN);
        e.put("WA_MAX_MESSAGE_AGE_S", "0");
        e.put("WA_STREAM_BLOCK_MS", "500");
        e.put("WA_TYPING_DELAY_MS", "500");
        e.put("EVOLUTION_SERVER_URL", env.app.evolution().url());
        e.put("EVOLUTION_API_KEY", "test-key");
        e.put("AI_BASE_URL", "http://127.0.0.1:" + env.wiremock.port() + "/v1");
        e.put("AI_API_KEY", "sk-test");
        other = WorkerProcess.startWeb(e);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                env.postWebhook(otherPort, "{}".getBytes()).statusCode() == 400);
    }

    @Test
    @Order(1)
    void aBurstWhosePartsCameToDifferentProcessesIsAnsweredOnce() {
        startOther();
        int chats = 6;
        List<String> lastIds = new ArrayList<>();
        for (int c = 0; c < chats; c++) {
            String number = "4477009007" + (20 + c);
            String first = newKeyId();
            String second = newKeyId();
            lastIds.add(second);
            assertThat(read(env.postWebhook(bytes(env.textMessage(first, number, "chat " + c + " part one"))).body())
                    .path("status").asText()).isEqualTo("accepted");
            assertThat(read(env.postWebhook(otherPort, bytes(env.textMessage(second, number, "chat " + c + " part two")))
                    .body()).path("status").asText()).isEqualTo("accepted");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> lastIds.stream().allMatch(id -> env.repliesTo(id).size() == 1));
        // and nothing more: each burst was put back once, however often the two processes looked
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() ->
                env.sendQueue().size() == chats && env.aiCalls() == chats);
        List<String> prompts = env.aiUserMessages();
        for (int c = 0; c < chats; c++) {
            assertThat(prompts).contains("chat " + c + " part one\nchat " + c + " part two");
        }
        // no burst left waiting, no event left unanswered
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0
                && env.redis.getScoredSortedSet(Keys.debounceDue(INSTANCE), StringCodec.INSTANCE).isEmpty());
    }

    @Test
    @Order(2)
    void aBurstWhoseFirstPartWentToAKilledProcessIsAnsweredWithBothParts() {
        startOther();
        String number = "447700900730";
        String first = newKeyId();
        String second = newKeyId();
        assertThat(read(env.postWebhook(otherPort, bytes(env.textMessage(first, number, "I lost my prescription"))).body())
                .path("status").asText()).isEqualTo("accepted");
        await().atMost(Duration.ofSeconds(20)).until(() -> held(number) == 1);
        other.kill();
        other = null;
        assertThat(read(env.postWebhook(bytes(env.textMessage(second, number, "can the doctor send a new one?"))).body())
                .path("status").asText()).isEqualTo("accepted");

        await().atMost(Duration.ofSeconds(30)).until(() -> env.repliesTo(second).size() == 1);
        assertThat(env.aiUserMessages()).contains("I lost my prescription\ncan the doctor send a new one?");
        assertThat(env.repliesTo(first)).isEmpty();
    }

    private static int held(String number) {
        String n = env.redis.<String, String>getMap(Keys.burst(INSTANCE, Keys.chat(number + "@s.whatsapp.net")),
                StringCodec.INSTANCE).get("n");
        return n == null ? 0 : Integer.parseInt(n);
    }
}
