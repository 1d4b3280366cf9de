package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.PendingEntry;

/**
 * POST /admin/streams/claim-pending-to-worker on real Redis. The previous endpoint claimed to a phantom
 * consumer, at most 100 entries, and always reported 0.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PendingClaimsTest {
    private static final AdminHttp ADMIN = AdminHttp.as(TestApp.ADMIN_TOKEN);
    private static final String DEAD = "wq-gonehost-11-dead";
    private static final String LIVE = "wq-livehost-22-beef";

    @RegisterExtension
    static final TestApp APP = TestApp.web("cl-none,cl-many,cl-busy,cl-empty,cl-named");

    @Test
    void claimWithoutALiveWorkerAnswers409InsteadOfClaimingToAPhantomConsumer() {
        String key = Keys.sendStream("cl-none");
        TestStreams.group(key);
        TestStreams.add(key, TestStreams.payload("n-1", "447700900801", "hi"));
        TestStreams.read(key, DEAD, 1);
        TestStreams.age(key, 120_000);
        TestStreams.createConsumer(key, "worker-1733012345-1");   // the previous system's worker: not ours

        AdminHttp.Answer a = ADMIN.post("/admin/streams/claim-pending-to-worker?instance=cl-none");

        assertEquals(409, a.status(), a.body());
        assertEquals("no_live_consumer", a.json().get("error").asText());
        assertTrue(a.json().get("message").asText().contains("Start a worker"));
        assertEquals(DEAD, TestStreams.pending(key).values().iterator().next().getConsumerName());
        assertEquals(2, TestStreams.stream(key).listConsumers(TestStreams.GROUP).size(), "no phantom consumer");
    }

    @Test
    void claimMovesEveryIdleEntryToALiveWorkerAndReportsTheTrueCount() {
        String key = Keys.sendStream("cl-many");
        TestStreams.group(key);
        for (int i = 0; i < 250; i++) {
            TestStreams.add(key, TestStreams.payload("m-" + i, "4477009009" + String.format("%02d", i % 100), "hi"));
        }
        TestStreams.read(key, DEAD, 250);
        TestStreams.age(key, 120_000);
        TestStreams.liveWorker(key, LIVE);

        AdminHttp.Answer a = ADMIN.post("/admin/streams/claim-pending-to-worker?instance=cl-many");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertTrue(r.get("ok").asBoolean());
        assertEquals(250, r.get("claimed_count").asInt(), "every page is claimed and counted");
        assertEquals(LIVE, r.get("to_consumer").asText());
        assertEquals("0-0", r.get("next_id").asText());
        assertEquals(0, r.get("deleted_count").asInt());
        Map<String, PendingEntry> pel = TestStreams.pending(key);
        assertEquals(250, pel.size());
        for (PendingEntry p : pel.values()) {
            assertEquals(LIVE, p.getConsumerName());
            assertEquals(1, p.getLastTimeDelivered(), "an operator's claim uses up no attempt");
            assertTrue(p.getIdleTime() >= 2000, "still claimable, so the worker takes it on its next round");
        }
    }

    @Test
    void entriesHeldByAWorkingConsumerAreNotTaken() {
        String key = Keys.sendStream("cl-busy");
        TestStreams.group(key);
        for (int i = 0; i < 3; i++) {
            TestStreams.add(key, TestStreams.payload("b-" + i, "44770090090" + i, "hi"));
        }
        List<String> held = TestStreams.read(key, "wq-busyhost-33-aaaa", 3);
        TestStreams.liveWorker(key, LIVE);

        AdminHttp.Answer a = ADMIN.post("/admin/streams/claim-pending-to-worker?instance=cl-busy");

        assertEquals(200, a.status(), a.body());
        assertEquals(0, a.json().get("claimed_count").asInt());
        assertEquals(3, a.json().get("left_with_working_consumers").asInt());
        held.forEach(id -> assertEquals("wq-busyhost-33-aaaa", TestStreams.pending(key).get(id).getConsumerName()));
    }

    @Test
    void claimWithNothingPendingSaysSo() {
        AdminHttp.Answer a = ADMIN.post("/admin/streams/claim-pending-to-worker?instance=cl-empty");

        assertEquals(200, a.status(), a.body());
        assertEquals("No pending messages to claim", a.json().get("message").asText());
        assertEquals(0, a.json().get("claimed").asInt());
        assertEquals(0, TestStreams.keysContaining("cl-empty"));
    }

    @Test
    void aNamedTargetMustBeALiveWorkerOfOurs() {
        String key = Keys.sendStream("cl-named");
        TestStreams.group(key);
        TestStreams.add(key, TestStreams.payload("x-1", "447700900990", "hi"));
        TestStreams.read(key, DEAD, 1);
        TestStreams.age(key, 120_000);
        TestStreams.liveWorker(key, LIVE);
        TestStreams.createConsumer(key, "worker-1733012345");

        AdminHttp.Answer phantom = ADMIN.post("/admin/streams/claim-pending-to-worker?instance=cl-named"
                + "&worker_consumer=worker-1733012345");
        AdminHttp.Answer named = ADMIN.post("/admin/streams/claim-pending-to-worker?instance=cl-named"
                + "&worker_consumer=" + LIVE);

        assertEquals(409, phantom.status(), phantom.body());
        assertEquals("consumer_not_live", phantom.json().get("error").asText());
        assertEquals(200, named.status(), named.body());
        assertEquals(1, named.json().get("claimed_count").asInt());
        assertEquals(LIVE, named.json().get("to_consumer").asText());
    }
}
