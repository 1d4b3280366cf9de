package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

/** DLQ tooling on real Redis: list without patient data, replay that never loses or duplicates, purge. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterToolsTest {
    private static final AdminHttp ADMIN = AdminHttp.as(TestApp.ADMIN_TOKEN);

    @RegisterExtension
    static final TestApp APP = TestApp.web("dl-list,dl-page,dl-replay,dl-sent,dl-full,dl-odd,dl-race,dl-purge").with(Map.of("WA_STREAM_MAXLEN", "60"));

    /** A dead letter as the send route writes it (DeadLetters). */
    private static String deadLetter(String messageId, String to, String text) {
        return "{\"message_id\":\"" + messageId + "\",\"to\":\"" + to + "\",\"text\":\"" + text + "\","
                + "\"queued_at\":1761055392.123,\"attempts\":0,\"metadata\":{\"inbound_id\":\"ABC\"},"
                + "\"final_error\":\"rejected_by_evolution: number_not_on_whatsapp\",\"failed_at\":1761055400.5,"
                + "\"error_detail\":\"[{\\\"exists\\\":false,\\\"number\\\":\\\"" + to + "\\\"}]\","
                + "\"last_http_status\":400,\"delivery_attempts\":5,\"source_stream_id\":\"1761055392123-0\"}";
    }

    @Test
    void deadLettersAreListedWithReasonAttemptsAndFailedAtButNoPatientData() {
        String dlq = Keys.deadLetters("dl-list");
        String id = TestStreams.add(dlq, deadLetter("l-1", "447700900123", "Your appointment is at 10"));

        AdminHttp.Answer a = ADMIN.get("/admin/streams/dlq?instance=dl-list");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertEquals(1, r.get("dlq_depth").asInt());
        assertEquals(1, r.get("count").asInt());
        JsonNode e = r.get("entries").get(0);
        assertEquals(id, e.get("id").asText());
        assertEquals("l-1", e.get("message_id").asText());
        assertEquals("rejected_by_evolution: number_not_on_whatsapp", e.get("reason").asText());
        assertEquals(5, e.get("attempts").asInt());
        assertEquals(1761055400.5, e.get("failed_at").asDouble());
        assertEquals(400, e.get("last_http_status").asInt());
        assertEquals("4477****0123", e.get("to").asText());
        assertTrue(e.get("text_withheld").asBoolean());
        assertFalse(e.has("text"));
        assertFalse(a.body().contains("447700900123"), "no full number anywhere: " + a.body());
        assertFalse(a.body().contains("appointment"), "no message text anywhere");

        JsonNode revealed = ADMIN.get("/admin/streams/dlq?instance=dl-list&reveal=true").json().get("entries").get(0);
        assertEquals("447700900123", revealed.get("to").asText());
        assertEquals("Your appointment is at 10", revealed.get("text").asText());
    }

    @Test
    void deadLettersArePagedWithCountAndFrom() {
        String dlq = Keys.deadLetters("dl-page");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(TestStreams.add(dlq, deadLetter("p-" + i, "44770090011" + i, "t")));
        }

        JsonNode first = ADMIN.get("/admin/streams/dlq?instance=dl-page&count=2").json();
        JsonNode second = ADMIN.get("/admin/streams/dlq?instance=dl-page&count=2&from="
                + first.get("next_from").asText()).json();
        JsonNode last = ADMIN.get("/admin/streams/dlq?instance=dl-page&count=2&from="
                + second.get("next_from").asText()).json();

        assertEquals(List.of(ids.get(0), ids.get(1)), idsOf(first));
        assertEquals(List.of(ids.get(2), ids.get(3)), idsOf(second));
        assertEquals(List.of(ids.get(4)), idsOf(last));
        assertTrue(last.get("next_from").isNull());
        AdminHttp.Answer bad = ADMIN.get("/admin/streams/dlq?instance=dl-page&count=0");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("message").asText().contains("count"));
    }

    @Test
    void replayPutsTheEntryBackOnTheStreamWithAttemptsResetEvenPastTheEnqueueMarker() {
        String dlq = Keys.deadLetters("dl-replay");
        String id = TestStreams.add(dlq, deadLetter("r-1", "447700900201", "hello again"));
        TestRedis.client().getBucket(Keys.enqueued("dl-replay", "r-1"), StringCodec.INSTANCE).set("1");

        AdminHttp.Answer a = ADMIN.post("/admin/streams/dlq/replay?instance=dl-replay", "{\"ids\":[\"" + id + "\"]}");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertEquals(1, r.get("replayed_count").asInt());
        assertEquals(id, r.at("/replayed/0/dlq_id").asText());
        assertEquals(0, r.get("dlq_depth").asInt());
        assertEquals(1, r.get("queue_depth").asInt());
        assertEquals(0, TestStreams.xlen(dlq));
        JsonNode back = TestStreams.payloads(Keys.sendStream("dl-replay")).get(0);
        assertEquals("r-1", back.get("message_id").asText());
        assertEquals("447700900201", back.get("to").asText());
        assertEquals("hello again", back.get("text").asText());
        assertEquals(0, back.get("attempts").asInt());
        assertEquals("ABC", back.at("/metadata/inbound_id").asText());
        for (String f : List.of("final_error", "failed_at", "error_detail", "last_http_status", "delivery_attempts",
                "source_stream_id")) {
            assertFalse(back.has(f), f + " is not part of the replayed payload");
        }
        assertEquals(r.at("/replayed/0/stream_id").asText(), TestStreams.fields(Keys.sendStream("dl-replay")).keySet()
                .iterator().next());
    }

    @Test
    void replayOfAMessageAlreadySentLeavesItInTheDeadLetterQueue() {
        String dlq = Keys.deadLetters("dl-sent");
        String id = TestStreams.add(dlq, deadLetter("s-1", "447700900202", "sent before"));
        TestStreams.markSent("dl-sent", "s-1");

        JsonNode r = ADMIN.post("/admin/streams/dlq/replay?instance=dl-sent", "{\"all\":true}").json();

        assertEquals(0, r.get("replayed_count").asInt());
        assertEquals(1, r.get("already_sent_count").asInt());
        assertEquals(id, r.at("/already_sent/0").asText());
        assertEquals(1, TestStreams.xlen(dlq));
        assertEquals(0, TestStreams.xlen(Keys.sendStream("dl-sent")));
    }

    @Test
    void replayStopsAtTheStreamLimitAndKeepsTheRestInTheDeadLetterQueue() {
        String key = Keys.sendStream("dl-full");
        String dlq = Keys.deadLetters("dl-full");
        for (int i = 0; i < 59; i++) {
            TestStreams.add(key, TestStreams.payload("q-" + i, "44770090030" + i, "queued"));
        }
        for (int i = 0; i < 3; i++) {
            TestStreams.add(dlq, deadLetter("f-" + i, "44770090031" + i, "dead"));
        }

        JsonNode r = ADMIN.post("/admin/streams/dlq/replay?instance=dl-full", "{\"all\":true}").json();

        assertEquals(1, r.get("replayed_count").asInt());
        assertTrue(r.get("stream_full").asBoolean());
        assertEquals(2, r.get("not_replayed_stream_full_count").asInt());
        assertEquals(60, TestStreams.xlen(key), "WA_STREAM_MAXLEN=60 is respected");
        assertEquals(2, TestStreams.xlen(dlq), "nothing is lost");
    }

    @Test
    void poisonEntriesAndUnknownIdsAreReportedNotReplayed() {
        String dlq = Keys.deadLetters("dl-odd");
        String poison = TestStreams.add(dlq, "{\"error\":\"json_decode_error: Expecting value\",\"raw\":\"{'payload': 'x'}\"}");

        JsonNode r = ADMIN.post("/admin/streams/dlq/replay?instance=dl-odd",
                "{\"ids\":[\"" + poison + "\",\"1-0\"]}").json();

        assertEquals(0, r.get("replayed_count").asInt());
        assertEquals(1, r.get("not_replayable_count").asInt());
        assertEquals(poison, r.at("/not_replayable/0/dlq_id").asText());
        assertEquals(1, r.get("missing_count").asInt());
        assertEquals("1-0", r.at("/missing/0").asText());
        assertEquals(1, TestStreams.xlen(dlq));

        for (String body : List.of("{}", "{\"ids\":[]}", "{\"ids\":[\"x\"]}", "{\"ids\":[\"1-0\"],\"all\":true}", "nope")) {
            AdminHttp.Answer bad = ADMIN.post("/admin/streams/dlq/replay?instance=dl-odd", body);
            assertEquals(400, bad.status(), body);
            assertEquals("invalid_body", bad.json().get("error").asText());
        }
    }

    @Test
    void twoReplaysOfTheSameEntryAtOnceAddItExactlyOnce() {
        String dlq = Keys.deadLetters("dl-race");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add("\"" + TestStreams.add(dlq, deadLetter("race-" + i, "44770090040" + (i % 10), "t")) + "\"");
        }
        String body = "{\"ids\":[" + String.join(",", ids) + "]}";

        CompletableFuture<JsonNode> one = CompletableFuture.supplyAsync(
                () -> ADMIN.post("/admin/streams/dlq/replay?instance=dl-race", body).json());
        CompletableFuture<JsonNode> two = CompletableFuture.supplyAsync(
                () -> ADMIN.post("/admin/streams/dlq/replay?instance=dl-race", body).json());

        int replayed = one.join().get("replayed_count").asInt() + two.join().get("replayed_count").asInt();
        int missing = one.join().get("missing_count").asInt() + two.join().get("missing_count").asInt();
        assertEquals(50, replayed);
        assertEquals(50, missing);
        assertEquals(50, TestStreams.xlen(Keys.sendStream("dl-race")));
        assertEquals(0, TestStreams.xlen(dlq));
    }

    @Test
    void purgeNeedsConfirmTrueAndCountsWhatItDeleted() {
        String dlq = Keys.deadLetters("dl-purge");
        for (int i = 0; i < 3; i++) {
            TestStreams.add(dlq, deadLetter("d-" + i, "44770090050" + i, "t"));
        }

        AdminHttp.Answer refused = ADMIN.delete("/admin/streams/dlq?instance=dl-purge");
        assertEquals(400, refused.status());
        assertEquals("confirmation_required", refused.json().get("error").asText());
        assertTrue(refused.json().get("message").asText().contains("confirm=true"));
        assertEquals(3, TestStreams.xlen(dlq));

        AdminHttp.Answer purged = ADMIN.delete("/admin/streams/dlq?instance=dl-purge&confirm=true");
        assertEquals(200, purged.status(), purged.body());
        assertEquals(3, purged.json().get("deleted_count").asInt());
        assertEquals(0, purged.json().get("dlq_depth").asInt());
        assertEquals(0, TestStreams.xlen(dlq));
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("entries").forEach(e -> out.add(e.get("id").asText()));
        return out;
    }
}
