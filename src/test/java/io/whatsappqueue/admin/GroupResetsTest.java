package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The previous system's group resets, on real Redis, without its defects: nothing skipped is abandoned in the
 * stream, nothing pending is delivered twice, nothing sent is sent again, no stream is created by accident.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupResetsTest {
    private static final AdminHttp ADMIN = AdminHttp.as(TestApp.ADMIN_TOKEN);
    private static final String WORKER = "wq-host-77-beef";

    @RegisterExtension
    static final TestApp APP = TestApp.web("rs-latest,rs-empty,rs-begin,rs-gone,rs-recreate,rs-nogroup");

    @Test
    void resetToLatestMovesSkippedEntriesToTheDeadLetterQueue() {
        String key = Keys.sendStream("rs-latest");
        TestStreams.group(key);
        String abandoned = TestStreams.add(key, TestStreams.payload("a-1", "447700900401", "old"));
        TestStreams.ack(key, TestStreams.read(key, "worker-1733012345-1", 1));
        TestStreams.add(key, TestStreams.payload("p-1", "447700900402", "in flight"));
        TestStreams.add(key, TestStreams.payload("p-2", "447700900403", "in flight"));
        List<String> pending = TestStreams.read(key, WORKER, 2);
        String u1 = TestStreams.add(key, TestStreams.payload("u-1", "447700900404", "waiting"));
        TestStreams.add(key, TestStreams.payload("u-2", "447700900405", "waiting"));
        String u3 = TestStreams.add(key, TestStreams.payload("u-3", "447700900406", "waiting"));

        AdminHttp.Answer a = ADMIN.post("/admin/streams/reset-to-latest?instance=rs-latest");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertTrue(r.get("ok").asBoolean());
        assertEquals("latest", r.get("mode").asText());
        assertEquals("rs-latest", r.get("instance").asText());
        assertEquals(pending.get(1), r.at("/before/last_delivered").asText());
        assertEquals(2, r.at("/before/pending").asInt());
        assertEquals(u3, r.at("/after/last_delivered").asText());
        assertEquals(2, r.at("/after/pending").asInt());
        assertEquals(4, r.get("moved_to_dlq").asInt());
        assertEquals(2, r.get("kept_pending").asInt());
        assertFalse(r.get("message").asText().isBlank());

        assertEquals(pending, List.copyOf(TestStreams.fields(key).keySet()), "only the in-flight entries stay");
        Map<String, PendingEntry> pel = TestStreams.pending(key);
        assertEquals(pending, List.copyOf(pel.keySet()));
        pel.values().forEach(p -> assertEquals(WORKER, p.getConsumerName()));
        pel.values().forEach(p -> assertEquals(1, p.getLastTimeDelivered()));

        List<JsonNode> dead = TestStreams.payloads(Keys.deadLetters("rs-latest"));
        assertEquals(List.of("a-1", "u-1", "u-2", "u-3"), dead.stream().map(d -> d.get("message_id").asText()).toList());
        dead.forEach(d -> assertEquals("skipped_by_reset", d.get("final_error").asText()));
        assertEquals(abandoned, dead.get(0).get("source_stream_id").asText());
        assertEquals(u1, dead.get(1).get("source_stream_id").asText());
        assertEquals("447700900404", dead.get(1).get("to").asText());
        assertEquals("waiting", dead.get(1).get("text").asText());
        assertTrue(dead.get(1).get("failed_at").asDouble() > 0);

        String fresh = TestStreams.add(key, TestStreams.payload("n-1", "447700900407", "new"));
        assertEquals(List.of(fresh), TestStreams.read(key, "wq-other-1-cafe", 10), "new replies flow as before");
    }

    @Test
    void resetToLatestOfAStreamThatDoesNotExistCreatesNothing() {
        AdminHttp.Answer a = ADMIN.post("/admin/streams/reset-to-latest?instance=rs-empty");

        assertEquals(200, a.status(), a.body());
        assertEquals(0, a.json().get("moved_to_dlq").asInt());
        assertEquals(0, TestStreams.keysContaining("rs-empty"));
    }

    @Test
    void resetToBeginRequeuesAcknowledgedEntriesButNeverPendingOrAlreadySentOnes() {
        String key = Keys.sendStream("rs-begin");
        TestStreams.group(key);
        String notSent = TestStreams.add(key, TestStreams.payload("b-1", "447700900501", "skipped once"));
        String sent = TestStreams.add(key, TestStreams.payload("b-2", "447700900502", "went out"));
        TestStreams.ack(key, TestStreams.read(key, "worker-1733012345-2", 2));
        TestStreams.markSent("rs-begin", "b-2");
        String inFlight = TestStreams.add(key, TestStreams.payload("b-3", "447700900503", "in flight"));
        TestStreams.read(key, WORKER, 1);
        String waiting = TestStreams.add(key, TestStreams.payload("b-4", "447700900504", "waiting"));

        AdminHttp.Answer a = ADMIN.post("/admin/streams/reset-to-begin?instance=rs-begin");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertEquals("begin", r.get("mode").asText());
        assertTrue(r.has("warning"));
        assertEquals(1, r.get("requeued_count").asInt());
        assertEquals(1, r.get("already_sent_count").asInt());
        assertEquals(1, r.get("kept_pending").asInt());
        assertEquals(1, r.at("/before/pending").asInt());
        assertEquals(1, r.at("/after/pending").asInt());

        Map<String, String> stream = TestStreams.fields(key);
        assertFalse(stream.containsKey(notSent));
        assertFalse(stream.containsKey(sent), "a sent message is not queued again");
        assertEquals(3, stream.size());
        List<String> ids = List.copyOf(stream.keySet());
        assertEquals(List.of(inFlight, waiting), ids.subList(0, 2));
        assertTrue(stream.get(ids.get(2)).contains("\"b-1\""), "the skipped entry is queued again at the end");

        PendingEntry p = TestStreams.pending(key).get(inFlight);
        assertEquals(WORKER, p.getConsumerName());
        assertEquals(1, p.getLastTimeDelivered());
        // the previous reset set the group to 0, so the next read delivered the in-flight entry a second time
        assertEquals(List.of(waiting, ids.get(2)), TestStreams.read(key, "wq-other-2-cafe", 10));
    }

    @Test
    void destroyRecreateOfAMissingStreamAnswersDestroyedFalseAndCreatesNothing() {
        AdminHttp.Answer a = ADMIN.delete("/admin/streams/destroy-recreate?instance=rs-gone");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertTrue(r.get("ok").asBoolean());
        assertEquals("recreated", r.get("mode").asText());
        assertFalse(r.get("destroyed").asBoolean());
        assertEquals(0, r.at("/before/groups_count").asInt(-1));
        assertEquals(0, r.at("/after/groups_count").asInt(-1));
        assertEquals(0, TestStreams.keysContaining("rs-gone"));
    }

    @Test
    void destroyRecreateForAnUnknownInstanceIsRefusedAndCreatesNoStream() {
        AdminHttp.Answer unknown = ADMIN.delete("/admin/streams/destroy-recreate?instance=clinic-attacker");
        AdminHttp.Answer invalid = ADMIN.delete("/admin/streams/destroy-recreate?instance=wa%3A*%3Astream");

        assertEquals(404, unknown.status());
        assertEquals("unknown_instance", unknown.json().get("error").asText());
        assertEquals(422, invalid.status());
        assertEquals(0, TestStreams.keysContaining("attacker"));
    }

    @Test
    void destroyRecreateKeepsPendingEntriesWithTheirConsumersAndMovesTheBacklogToTheDeadLetterQueue() {
        String key = Keys.sendStream("rs-recreate");
        TestStreams.group(key);
        TestStreams.createConsumer(key, "worker-1700000000-9");
        String inFlight = TestStreams.add(key, TestStreams.payload("c-1", "447700900601", "in flight"));
        TestStreams.read(key, WORKER, 1);
        TestStreams.add(key, TestStreams.payload("c-2", "447700900602", "waiting"));

        AdminHttp.Answer a = ADMIN.delete("/admin/streams/destroy-recreate?instance=rs-recreate");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertTrue(r.get("destroyed").asBoolean());
        assertEquals(1, r.at("/before/groups_count").asInt());
        assertEquals(2, r.at("/before/consumers").asInt());
        assertEquals(1, r.at("/before/pending").asInt());
        assertEquals(1, r.at("/after/consumers").asInt(), "the stale consumer is gone");
        assertEquals(1, r.at("/after/pending").asInt());
        assertEquals(1, r.get("moved_to_dlq").asInt());
        assertEquals(1, r.get("kept_pending").asInt());

        PendingEntry p = TestStreams.pending(key).get(inFlight);
        assertEquals(WORKER, p.getConsumerName());
        assertEquals(1, p.getLastTimeDelivered());
        assertEquals(List.of(inFlight), List.copyOf(TestStreams.fields(key).keySet()));
        assertEquals("c-2", TestStreams.payloads(Keys.deadLetters("rs-recreate")).get(0).get("message_id").asText());
        assertEquals(List.of(), TestStreams.read(key, "wq-other-3-cafe", 10), "the in-flight entry is not redelivered");
    }

    @Test
    void destroyRecreateOfAStreamWithoutTheGroupCreatesItFromTheStart() {
        String key = Keys.sendStream("rs-nogroup");
        String first = TestStreams.add(key, TestStreams.payload("g-1", "447700900701", "waiting"));

        AdminHttp.Answer a = ADMIN.delete("/admin/streams/destroy-recreate?instance=rs-nogroup");

        assertEquals(200, a.status(), a.body());
        assertFalse(a.json().get("destroyed").asBoolean());
        assertEquals(1, a.json().at("/after/groups_count").asInt());
        assertEquals(List.of(first), TestStreams.read(key, "wq-other-4-cafe", 10), "nothing in the stream is skipped");
    }
}
