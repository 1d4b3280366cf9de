package io.whatsappqueue.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.ConsumerNames;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

/**
 * The admin pieces together with a running send worker and WireMock as Evolution: the opt-out filter in the
 * send route, and a claim that hands a stopped worker's entries to the live worker, which sends them.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminWithWorkerTest {
    private static final AdminHttp ADMIN = AdminHttp.as(TestApp.ADMIN_TOKEN);

    @RegisterExtension
    static final TestApp APP = TestApp.web("wk-opt,wk-claim,wk-idle").withEvolution().with(Map.of(
            "WA_ROLE", "all",
            "WA_TOKENS_PER_SECOND", "0",
            "WA_SEND_DELAY_MS", "0",
            "WA_STREAM_CLAIM_IDLE_MS", "30000",
            "WA_BASE_BACKOFF", "0.2",
            "WA_MAX_BACKOFF", "0.5"));
    private static final WireMockServer EVOLUTION = APP.evolution().server();

    @BeanInject
    ChatControls chatControls;

    @Test
    void theSendRouteNeverSendsToAnOptedOutContactAndAcknowledgesTheEntry() {
        chatControls.setOptOut("wk-opt", "+447700900555", true);
        String key = Keys.sendStream("wk-opt");
        TestStreams.add(key, TestStreams.payload("opt-1", "447700900555@s.whatsapp.net", "any news?"));
        TestStreams.add(key, TestStreams.payload("opt-2", "447700900556", "see you at 10"));

        await().atMost(Duration.ofSeconds(15)).until(() -> sendsTo("447700900556") == 1
                && TestStreams.xlen(key) == 0 && TestStreams.pending(key).isEmpty());
        assertEquals(0, sendsTo("447700900555"), "nothing is sent to a contact who wrote STOP");
    }

    /**
     * Runs first: with WA_STREAM_CLAIM_IDLE_MS=30000 the worker's own claim round starts 10 s after boot, so
     * the admin claim is what moves the entries; the worker then sends them on that round.
     */
    @Test
    @Order(1)
    void aClaimHandsAStoppedWorkersEntriesToTheLiveWorkerWhichSendsThem() {
        String key = Keys.sendStream("wk-claim");
        // add and deliver to the stopped worker in one step, or the live worker would read them first
        TestRedis.client().getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, """
                for i = 1, #ARGV do redis.call('XADD', KEYS[1], '*', 'payload', ARGV[i]) end
                redis.call('XREADGROUP', 'GROUP', 'wa_workers', 'wq-stoppedhost-9-dead', 'STREAMS', KEYS[1], '>')
                return 1""", RScript.ReturnType.INTEGER, List.of(key),
                TestStreams.payload("cl-1", "447700900601", "a"), TestStreams.payload("cl-2", "447700900602", "b"),
                TestStreams.payload("cl-3", "447700900603", "c"));
        TestStreams.age(key, 600_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> ADMIN.get("/admin/streams/health?instance=wk-claim")
                .json().get("consumers_count").asInt() == 1);

        AdminHttp.Answer a = ADMIN.post("/admin/streams/claim-pending-to-worker?instance=wk-claim");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertEquals(3, r.get("claimed_count").asInt());
        assertEquals(ConsumerNames.ofThisProcess(), r.get("to_consumer").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> sendsTo("447700900601") == 1 && sendsTo("447700900602") == 1
                && sendsTo("447700900603") == 1 && TestStreams.xlen(key) == 0);
    }

    @Test
    void anIdleWorkerIsStillCountedAsALiveConsumer() {
        String key = Keys.sendStream("wk-idle");
        await().atMost(Duration.ofSeconds(10)).until(() -> TestStreams.stream(key).isExists());
        // as if nothing had come for ten minutes: on Redis 7.0 empty reads do not refresh a consumer
        TestStreams.age(key, 600_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> ADMIN.get("/admin/streams/health?instance=wk-idle")
                .json().get("consumers_count").asInt() == 1);
        JsonNode h = ADMIN.get("/admin/streams/health?instance=wk-idle").json();
        assertEquals(ConsumerNames.ofThisProcess(), h.at("/consumers/0/name").asText());
        assertEquals("healthy", h.get("status").asText(), h.toString());
    }

    private static long sendsTo(String digits) {
        return EVOLUTION.findAll(postRequestedFor(urlPathMatching("/message/sendText/.*"))).stream()
                .filter(req -> req.getBodyAsString().contains(digits)).count();
    }
}
