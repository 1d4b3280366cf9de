package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.evolution.EvolutionFailure;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.SendGate;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

/** GET /admin/streams/health on real Redis: the previous fields and rule order, and what it could not see. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamHealthTest {
    private static final AdminHttp ADMIN = AdminHttp.as(TestApp.ADMIN_TOKEN);

    @RegisterExtension
    static final TestApp APP = TestApp.web("h-idle,h-dead,h-rules,h-full,h-key").with(Map.of(
                "WA_HEALTH_MAX_QUEUE_DEPTH", "3",
                "WA_HEALTH_MAX_DLQ_DEPTH", "1",
                "WA_HEALTH_STUCK_IDLE_MS", "60000",
                "WA_STREAM_MAXLEN", "8"));

    @BeanInject
    SendGate sendGate;

    @Test
    void healthOfAnInstanceWithoutWorkersKeepsThePreviousFieldsAndCreatesNoKey() {
        AdminHttp.Answer a = ADMIN.get("/admin/streams/health?instance=h-idle");

        assertEquals(200, a.status());
        JsonNode h = a.json();
        for (String field : List.of("status", "instance", "queue_depth", "dlq_depth", "consumers_count", "pending",
                "last_delivered_id", "consumers", "issues", "recommendations")) {
            assertTrue(h.has(field), "field " + field + " in " + h);
        }
        assertEquals("unhealthy", h.get("status").asText());
        assertEquals("h-idle", h.get("instance").asText());
        assertEquals("no_group", h.get("last_delivered_id").asText());
        assertEquals(List.of("NO_ACTIVE_CONSUMERS"), texts(h.get("issues")));
        assertEquals(List.of("Start or restart the worker process"), texts(h.get("recommendations")));
        assertEquals(0, TestStreams.keysContaining("h-idle"));
    }

    @Test
    void consumersOfStoppedWorkersAreNotCountedSoNoActiveConsumersFiresAgain() {
        String key = Keys.sendStream("h-dead");
        TestStreams.group(key);
        TestStreams.add(key, TestStreams.payload("d-1", "447700900001", "hi"));
        TestStreams.read(key, "wq-oldhost-4242-abcd", 1);
        TestStreams.createConsumer(key, "worker-1733012345-123");
        TestStreams.age(key, 400_000);

        JsonNode h = ADMIN.get("/admin/streams/health?instance=h-dead").json();

        assertEquals(0, h.get("consumers_count").asInt(), h.toString());
        assertEquals(2, h.get("consumers").size());
        h.get("consumers").forEach(c -> assertFalse(c.get("live").asBoolean()));
        assertEquals(1, h.get("pending").asInt());
        assertEquals(List.of("NO_ACTIVE_CONSUMERS", "PENDING_WITHOUT_CONSUMER", "STUCK_CONSUMER_wq-oldhost-4242-abcd"),
                texts(h.get("issues")));
        assertEquals(List.of("Start or restart the worker process",
                "Use /claim-pending-to-worker to recover stuck messages",
                "Restart stuck worker or use /claim-pending-to-worker"), texts(h.get("recommendations")));
        assertEquals("unhealthy", h.get("status").asText());
    }

    @Test
    void issuesFollowThePreviousRuleOrderWithTheConfiguredThresholds() {
        String key = Keys.sendStream("h-rules");
        TestStreams.group(key);
        for (int i = 0; i < 5; i++) {
            TestStreams.add(key, TestStreams.payload("r-" + i, "44770090010" + i, "hi"));
        }
        TestStreams.read(key, "wq-stuck-1-aaaa", 1);
        TestStreams.age(key, 120_000);
        TestStreams.liveWorker(key, "wq-live-2-bbbb");
        TestStreams.add(Keys.deadLetters("h-rules"), "{\"final_error\":\"x\"}");
        TestStreams.add(Keys.deadLetters("h-rules"), "{\"final_error\":\"y\"}");

        JsonNode h = ADMIN.get("/admin/streams/health?instance=h-rules").json();

        assertEquals(1, h.get("consumers_count").asInt(), h.toString());
        assertEquals(5, h.get("queue_depth").asInt());
        assertEquals(2, h.get("dlq_depth").asInt());
        assertEquals(List.of("HIGH_QUEUE_DEPTH", "HIGH_DLQ_DEPTH", "STUCK_CONSUMER_wq-stuck-1-aaaa"), texts(h.get("issues")));
        assertEquals(List.of("Scale up workers or investigate slow processing",
                "Investigate DLQ messages for recurring failures",
                "Restart stuck worker or use /claim-pending-to-worker"), texts(h.get("recommendations")));
        assertEquals("degraded", h.get("status").asText());
        assertEquals(3, h.at("/thresholds/max_queue_depth").asInt());
    }

    @Test
    void aFullStreamAndADisconnectedEvolutionAreReported() {
        String key = Keys.sendStream("h-full");
        TestStreams.group(key);
        for (int i = 0; i < 8; i++) {
            TestStreams.add(key, TestStreams.payload("f-" + i, "44770090020" + i, "hi"));
        }
        TestStreams.liveWorker(key, "wq-live-3-cccc");
        TestRedis.client().getBucket(Keys.connection("h-full"), StringCodec.INSTANCE).set("close");
        sendGate.isOpen("h-full");

        JsonNode h = ADMIN.get("/admin/streams/health?instance=h-full").json();

        assertEquals(List.of("HIGH_QUEUE_DEPTH", "STREAM_FULL", "EVOLUTION_DISCONNECTED", "SENDING_PAUSED"),
                texts(h.get("issues")), h.toString());
        assertEquals("unhealthy", h.get("status").asText());
        assertEquals("close", h.get("connection_state").asText());
        assertTrue(h.get("sending_paused").asBoolean());
        assertTrue(h.get("sending_pause_reason").asText().startsWith("disconnected"));
    }

    @Test
    void evolutionRefusingOurKeyIsReported() {
        String key = Keys.sendStream("h-key");
        TestStreams.group(key);
        TestStreams.liveWorker(key, "wq-live-4-dddd");
        sendGate.onFailure("h-key", EvolutionFailure.of(EvolutionFailure.Kind.CONFIGURATION, "unauthorized", 401,
                "Evolution refused EVOLUTION_API_KEY"));

        JsonNode h = ADMIN.get("/admin/streams/health?instance=h-key").json();

        assertEquals(List.of("EVOLUTION_REJECTS_KEY", "SENDING_PAUSED"), texts(h.get("issues")), h.toString());
        assertEquals("degraded", h.get("status").asText());
    }

    @Test
    void everyInstanceAnswersInOneCallWithInstanceAll() {
        JsonNode all = ADMIN.get("/admin/streams/health?instance=all").json();

        assertEquals("all", all.get("instance").asText());
        assertEquals(5, all.get("instances_count").asInt());
        List<String> names = new ArrayList<>();
        all.get("instances").forEach(i -> names.add(i.get("instance").asText()));
        assertEquals(List.of("h-idle", "h-dead", "h-rules", "h-full", "h-key"), names);
        assertEquals("unhealthy", all.get("status").asText());
        assertTrue(texts(all.get("issues")).contains("h-idle: NO_ACTIVE_CONSUMERS"));
    }

    @Test
    void unknownAndInvalidInstancesAreRefusedWithoutTouchingRedis() {
        AdminHttp.Answer unknown = ADMIN.get("/admin/streams/health?instance=nosuchclinic");
        AdminHttp.Answer invalid = ADMIN.get("/admin/streams/health?instance=bad%20name%2A");

        assertEquals(404, unknown.status());
        assertEquals("unknown_instance", unknown.json().get("error").asText());
        assertEquals(422, invalid.status());
        assertEquals("invalid_instance", invalid.json().get("error").asText());
        assertTrue(invalid.json().get("message").asText().contains("not a valid instance name"));
        assertEquals(0, TestStreams.keysContaining("nosuchclinic"));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
