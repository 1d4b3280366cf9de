package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.whatsappqueue.config.AppConfiguration;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.redisson.api.RStream;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;

import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The app stops between accepting a webhook and queuing its reply; the next process answers it exactly once.
 * Each test method runs in its own Camel context, against the same Redis: the first is the process that
 * stopped, the second the one that starts after it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@CamelMainTest(configurationClasses = AppConfiguration.class)
class ReplyAfterRestartTest {
    private static final String INSTANCE = "acme-restart";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of("WA_STREAM_CLAIM_IDLE_MS", "1500"));
    /** Accepted while the reply route was not running: never read. */
    private static final String NEVER_READ = newKeyId();
    /** Read by a consumer that then died: pending in the group, never acknowledged. */
    private static final String READ_BY_DEAD_WORKER = newKeyId();

    @EndpointInject
    ProducerTemplate template;

    @Test
    @Order(1)
    void firstProcessAcceptsWebhooksButStopsBeforeReplying() throws Exception {
        template.getCamelContext().getRouteController().stopRoute("reply-generate");
        for (String keyId : new String[] {READ_BY_DEAD_WORKER, NEVER_READ}) {
            var res = env.postWebhook(bytes(env.textMessage(keyId, "447700900501", "Can I bring my dog to the clinic?")));
            assertEquals("accepted", read(res.body()).path("status").asText());
        }
        // a worker that read the first event and died before answering it
        RStream<String, String> inbound = env.redis.getStream("wa:" + INSTANCE + ":inbound", StringCodec.INSTANCE);
        assertEquals(1, inbound.readGroup("wa_ai", "wq-crashed-worker", StreamReadGroupArgs.neverDelivered().count(1)).size());
        assertEquals(0, env.sendQueue().size());
    }

    @Test
    @Order(2)
    void nextProcessRepliesToEachAcceptedEventExactlyOnce() {
        await().atMost(Duration.ofSeconds(30)).until(() -> env.repliesTo(NEVER_READ).size() == 1
                && env.repliesTo(READ_BY_DEAD_WORKER).size() == 1);
        // and nothing more arrives later: no second reply from a redelivery
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
                env.repliesTo(NEVER_READ).size() == 1 && env.repliesTo(READ_BY_DEAD_WORKER).size() == 1);
        // the reply is queued before its event is acknowledged: wait for the acknowledgement
        await().atMost(Duration.ofSeconds(5)).until(() -> env.inboundBacklog() == 0);
        assertEquals(2, env.sendQueue().size());
    }

    private static String newKeyId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }
}
