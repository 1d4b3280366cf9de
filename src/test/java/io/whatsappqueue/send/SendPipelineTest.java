package io.whatsappqueue.send;

import static io.whatsappqueue.support.FakeEvolution.error;
import static io.whatsappqueue.support.FakeEvolution.sendTextTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The send route against a real Redis and WireMock as Evolution: what Evolution receives, what stays in the
 * stream, what lands in the dead-letter queue.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendPipelineTest {
    private static final String INSTANCE = "clinic-send";
    private static final String STREAM = Keys.sendStream(INSTANCE);
    private static final String DLQ = Keys.deadLetters(INSTANCE);
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of(
            "WA_MAX_DELIVERIES", "3",
            "WA_OUTAGE_THRESHOLD", "1000"));
    private static final FakeEvolution EVOLUTION = APP.evolution();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void entryInThePreviousSystemsAsciiEscapedFormatIsSentAsUtf8Text() {
        // byte for byte what Python's json.dumps wrote: ASCII escapes, spaces after ':' and ','
        String python = "{\"message_id\": \"py-1\", \"to\": \"447700900101\", \"text\": "
                + "\"\\u0417\\u0434\\u0440\\u0430\\u0432\\u0441\\u0442\\u0432\\u0443\\u0439\\u0442\\u0435! \\u0416\\u0434\\u0451\\u043c \\u0432\\u0430\\u0441\", "
                + "\"queued_at\": 1761055392.123, \"attempts\": 0, \"metadata\": {}}";
        TestRedis.addPayload(STREAM, python);

        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900101") == 1);
        JsonNode body = bodyTo("447700900101");
        assertThat(body.path("text").asText()).isEqualTo("Здравствуйте! Ждём вас");
        assertThat(body.path("delay").asLong(-1)).isZero();
        assertThat(body.path("linkPreview").asBoolean(true)).isFalse();
        assertThat(EVOLUTION.sends().get(0).getHeader("apikey")).isEqualTo("test-key");
        await().atMost(Duration.ofSeconds(5)).until(() -> TestRedis.xlen(STREAM) == 0 && TestRedis.pending(STREAM, Keys.SEND_GROUP) == 0);
    }

    @Test
    void numberNotOnWhatsAppIsDeadLetteredAfterOneAttemptWhileOthersKeepFlowing() {
        EVOLUTION.server().stubFor(sendTextTo("447700900102").atPriority(1)
                .willReturn(error(400, "[{\"jid\":\"447700900102@s.whatsapp.net\",\"exists\":false,\"number\":\"447700900102\"}]")));
        enqueue("bad-1", "447700900102", "hello");
        for (int i = 0; i < 5; i++) {
            enqueue("good-" + i, "44770090020" + i, "hi " + i);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetter("bad-1") != null);
        JsonNode dead = deadLetter("bad-1");
        assertThat(dead.path("final_error").asText()).isEqualTo("rejected_by_evolution: number_not_on_whatsapp");
        assertThat(dead.path("last_http_status").asInt()).isEqualTo(400);
        assertThat(dead.path("delivery_attempts").asInt()).isEqualTo(1);
        assertThat(dead.path("text").asText()).isEqualTo("hello");
        assertThat(dead.path("failed_at").asDouble()).isPositive();
        assertThat(dead.path("source_stream_id").asText()).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                java.util.stream.IntStream.range(0, 5).allMatch(i -> EVOLUTION.sendsTo("44770090020" + i) == 1));
        assertThat(EVOLUTION.sendsTo("447700900102")).isEqualTo(1);
    }

    @Test
    void poisonEntriesAreDeadLetteredAtOnceWithTheirReasonAndDoNotBlockOthers() {
        String notJson = TestRedis.addPayload(STREAM, "{this is not json");
        String noText = TestRedis.addPayload(STREAM, "{\"message_id\": \"p-2\", \"to\": \"447700900103\"}");
        enqueue("after-poison", "447700900104", "still delivered");

        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900104") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterBySource(notJson) != null && deadLetterBySource(noText) != null);
        assertThat(deadLetterBySource(notJson).path("final_error").asText()).isEqualTo("poison_entry: json_decode_error");
        assertThat(deadLetterBySource(notJson).path("raw").path("payload").asText()).isEqualTo("{this is not json");
        assertThat(deadLetterBySource(noText).path("final_error").asText()).isEqualTo("poison_entry: missing_text");
        assertThat(EVOLUTION.sendsTo("447700900103")).isZero();
    }

    @Test
    void transientFailureIsRetriedWhileTheEntryStaysInRedisThenDeadLetteredAfterMaxDeliveries() {
        EVOLUTION.server().stubFor(sendTextTo("447700900105").atPriority(1)
                .willReturn(error(500, "\"Connection Closed\"".replace("Connection Closed", "boom"))));
        String id = enqueue("flaky-1", "447700900105", "retry me");

        await().atMost(Duration.ofSeconds(5)).until(() -> EVOLUTION.sendsTo("447700900105") >= 1);
        // between attempts the entry is still in the stream and pending: nothing is ever taken out to wait
        assertThat(TestRedis.stream(STREAM).range(io.whatsappqueue.stream.StreamStore.messageId(id),
                io.whatsappqueue.stream.StreamStore.messageId(id))).hasSize(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetter("flaky-1") != null);
        // WA_MAX_DELIVERIES=3 attempts, the last one tried again once Evolution answered "open" (an outage that
        // begins on a last attempt must not dead-letter: docs/guarantees.md I5)
        assertThat(EVOLUTION.sendsTo("447700900105")).isEqualTo(4);
        JsonNode dead = deadLetter("flaky-1");
        assertThat(dead.path("final_error").asText()).isEqualTo("max_deliveries_exceeded: evolution_error");
        assertThat(dead.path("last_http_status").asInt()).isEqualTo(500);
        assertThat(dead.path("delivery_attempts").asInt()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> TestRedis.stream(STREAM).range(
                io.whatsappqueue.stream.StreamStore.messageId(id), io.whatsappqueue.stream.StreamStore.messageId(id)).isEmpty());
    }

    @Test
    void messageAlreadySentIsAcknowledgedWithoutASecondPost() {
        // a worker died after Evolution accepted the message and the marker was written, before the ack
        TestRedis.client().getBucket(Keys.sent(INSTANCE, "sent-before"), org.redisson.client.codec.StringCodec.INSTANCE)
                .set("3EB0AAAA", Duration.ofHours(1));
        String id = enqueue("sent-before", "447700900106", "do not send twice");
        enqueue("next-after-sent", "447700900106", "this one goes");

        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900106") == 1);
        assertThat(bodyTo("447700900106").path("text").asText()).isEqualTo("this one goes");
        await().atMost(Duration.ofSeconds(5)).until(() -> TestRedis.stream(STREAM).range(
                io.whatsappqueue.stream.StreamStore.messageId(id), io.whatsappqueue.stream.StreamStore.messageId(id)).isEmpty());
        assertThat(deadLetter("sent-before")).isNull();
    }

    @Test
    void sentMessageLeavesAMarkerThatPreventsResendingForADay() {
        enqueue("marker-1", "447700900107", "hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sendsTo("447700900107") == 1);
        var marker = TestRedis.client().getBucket(Keys.sent(INSTANCE, "marker-1"), org.redisson.client.codec.StringCodec.INSTANCE);
        await().atMost(Duration.ofSeconds(5)).until(marker::isExists);
        assertThat(String.valueOf(marker.get())).startsWith("3EB0");
        assertThat(marker.remainTimeToLive()).isBetween(Duration.ofHours(23).toMillis(), Duration.ofHours(24).toMillis());
    }

    @Test
    void repliesToOneChatLeaveInQueueOrderEvenWhenAnEarlierOneIsRetried() {
        // the first reply fails once; the later ones must wait for it rather than overtake
        EVOLUTION.server().stubFor(sendTextTo("447700900108").atPriority(1).inScenario("first-fails")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(error(500, "\"oops\"")).willSetStateTo("recovered"));
        for (int i = 0; i < 5; i++) {
            enqueue("order-" + i, "447700900108", "part " + i);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> EVOLUTION.sendsTo("447700900108") == 6);
        List<String> texts = EVOLUTION.sentBodies().stream().filter(b -> b.path("number").asText().equals("447700900108"))
                .map(b -> b.path("text").asText()).toList();
        assertThat(texts).containsExactly("part 0", "part 0", "part 1", "part 2", "part 3", "part 4");
    }

    @Test
    void attemptsThePreviousSystemAlreadyMadeCountTowardsMaxDeliveries() {
        // the Python worker re-added this entry twice after failures (attempts 2); with WA_MAX_DELIVERIES=3,
        // one more failure here is the last
        EVOLUTION.server().stubFor(sendTextTo("447700900109").atPriority(1).willReturn(error(500, "\"still down\"")));
        TestRedis.addPayload(STREAM, "{\"message_id\": \"py-retried\", \"to\": \"447700900109\", \"text\": \"x\", "
                + "\"queued_at\": 1761055392.0, \"attempts\": 2, \"metadata\": {}}");

        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetter("py-retried") != null);
        // our first try is the last attempt: tried again once after Evolution answered "open", then dead-lettered
        assertThat(EVOLUTION.sendsTo("447700900109")).isEqualTo(2);
        assertThat(deadLetter("py-retried").path("delivery_attempts").asInt()).isEqualTo(3);
    }

    private String enqueue(String messageId, String to, String text) {
        return TestRedis.addPayload(STREAM, OutboundMessages.newPayload(messageId, to, text, null));
    }

    private JsonNode bodyTo(String number) {
        return EVOLUTION.sentBodies().stream().filter(b -> b.path("number").asText().equals(number)).findFirst().orElseThrow();
    }

    private JsonNode deadLetter(String messageId) {
        return deadLetters().stream().filter(d -> d.path("message_id").asText().equals(messageId)).findFirst().orElse(null);
    }

    private JsonNode deadLetterBySource(String streamId) {
        return deadLetters().stream().filter(d -> d.path("source_stream_id").asText().equals(streamId)).findFirst().orElse(null);
    }

    private List<JsonNode> deadLetters() {
        return TestRedis.entries(DLQ).stream().map(f -> {
            try {
                return JSON.readTree(f.get("payload"));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
