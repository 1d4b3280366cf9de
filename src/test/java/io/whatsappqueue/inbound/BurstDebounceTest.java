package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Burst debounce (WA_DEBOUNCE_MS, DESIGN §10) with the AI stand-in: a patient's messages within the window of each
 * other get one AI call with all their texts in order and one reply, derived from the last message; messages further
 * apart get a reply each; a steady stream is answered at the latest WA_DEBOUNCE_MAX_MS after its first message; a
 * redelivered event is not taken into its burst twice. The window is the product's 3 s: on a loaded CI machine one
 * webhook call can take over a second, and a shorter window then splits a burst the test means as one.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class BurstDebounceTest {
    private static final String INSTANCE = "acme-burst";
    private static final long WINDOW_MS = 3000;
    private static final long CAP_MS = 4000;
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of(
            "WA_DEBOUNCE_MS", String.valueOf(WINDOW_MS), "WA_DEBOUNCE_MAX_MS", String.valueOf(CAP_MS),
            // the prompts are read from the AI stand-in: a call the loaded machine times out may never reach it
            "AI_TIMEOUT_MS", "15000"));

    @Test
    void threeMessagesInABurstGetOneAiCallWithAllTextsInOrderAndOneReply() {
        String number = "447700900701";
        String[] texts = {"Hi", "I need to move my appointment", "tomorrow is fine"};
        List<String> ids = new ArrayList<>();
        for (String text : texts) {
            String id = newKeyId();
            ids.add(id);
            assertThat(read(env.postWebhook(bytes(env.textMessage(id, number, text))).body()).path("status").asText())
                    .isEqualTo("accepted");
        }
        // each message is still de-duplicated on its own key.id
        assertThat(read(env.postWebhook(bytes(env.textMessage(ids.get(1), number, texts[1]))).body()).path("status")
                .asText()).isEqualTo("duplicate");

        await().atMost(Duration.ofSeconds(60)).until(() -> env.repliesTo(ids.get(2)).size() == 1);
        List<String> prompts = promptsMentioning("I need to move my appointment");
        assertThat(prompts).hasSize(1);
        assertThat(prompts.get(0)).isEqualTo("Hi\nI need to move my appointment\ntomorrow is fine");
        // the reply answers the last message; nothing answers the first two, and nothing more comes
        await().during(Duration.ofMillis(WINDOW_MS + 1000)).atMost(Duration.ofSeconds(10)).until(() ->
                env.repliesTo(ids.get(0)).isEmpty() && env.repliesTo(ids.get(1)).isEmpty()
                        && env.repliesTo(ids.get(2)).size() == 1 && promptsMentioning("move my appointment").size() == 1);
        assertThat(env.repliesTo(ids.get(2)).get(0).path("to").asText()).startsWith(number);
        assertThat(burstsWaiting()).isZero();
    }

    @Test
    void messagesFurtherApartThanTheWindowGetAReplyEach() {
        String number = "447700900702";
        String first = newKeyId();
        env.postWebhook(bytes(env.textMessage(first, number, "Do you open on Saturdays?")));
        await().atMost(Duration.ofSeconds(60)).until(() -> env.repliesTo(first).size() == 1);
        String second = newKeyId();
        env.postWebhook(bytes(env.textMessage(second, number, "And is there parking nearby?")));
        await().atMost(Duration.ofSeconds(60)).until(() -> env.repliesTo(second).size() == 1);

        assertThat(promptsMentioning("Saturdays")).containsExactly("Do you open on Saturdays?");
        assertThat(promptsMentioning("parking")).containsExactly("And is there parking nearby?");
    }

    @Test
    void aSteadyStreamIsAnsweredNoLaterThanTheCapAfterItsFirstMessage() throws Exception {
        String number = "447700900703";
        int count = 14;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(newKeyId());
        }
        // a message at least every 400 ms: never (unless the machine stalls for seconds) a quiet window of 3 s, for over
        // 5 s, longer than the 4 s cap
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService patient = Executors.newSingleThreadScheduledExecutor();
        try {
            patient.scheduleWithFixedDelay(() -> {
                int i = sent.get();
                if (i < count) {
                    env.postWebhook(bytes(env.textMessage(ids.get(i), number, "stream message " + (i + 1))));
                    sent.incrementAndGet();
                }
            }, 0, 400, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() == count);
        } finally {
            patient.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> env.repliesTo(ids.get(count - 1)).size() == 1);

        // every message in exactly one prompt, in the order sent; more than one reply, each to its burst's last message
        // the first answer came by the cap: it holds at most the messages of the cap's 4 s (one each 400 ms or more)
        List<String> prompts = promptsMentioning("stream message");
        assertThat(prompts.size()).isGreaterThanOrEqualTo(2);
        assertThat(prompts.get(0).split("\n").length).isLessThanOrEqualTo(1 + (int) (CAP_MS / 400));
        List<String> lines = new ArrayList<>();
        prompts.forEach(p -> lines.addAll(List.of(p.split("\n"))));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            expected.add("stream message " + i);
        }
        assertThat(lines).containsExactlyElementsOf(expected);
        long replies = env.sendQueue().stream().filter(p -> ids.contains(p.path("metadata").path("in_reply_to").asText()))
                .count();
        assertThat(replies).isEqualTo(prompts.size());
    }

    @Test
    void aRedeliveredEventIsNotTakenIntoItsBurstTwice() {
        String number = "447700900704";
        String contact = number + "@s.whatsapp.net";
        String id = newKeyId();
        String payload = InboundTestEnv.JSON.createObjectNode().put("instance", INSTANCE).put("key_id", id).put("reply_to", contact)
                .put("contact_id", contact).put("text", "Is the clinic wheelchair accessible?")
                .put("received_at", System.currentTimeMillis() / 1000.0).toString();
        // the same event twice on the inbound stream, as a redelivery after a crash before the acknowledgement leaves it
        var inbound = env.redis.<String, String>getStream(Keys.inboundStream(INSTANCE), StringCodec.INSTANCE);
        for (int i = 0; i < 2; i++) {
            inbound.add(org.redisson.api.stream.StreamAddArgs.entries(Map.of("payload", payload, "chat", Keys.chat(contact))));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> env.repliesTo(id).size() == 1);
        await().during(Duration.ofMillis(WINDOW_MS + 1000)).atMost(Duration.ofSeconds(10)).until(() ->
                promptsMentioning("wheelchair").size() == 1 && env.repliesTo(id).size() == 1);
        assertThat(promptsMentioning("wheelchair")).containsExactly("Is the clinic wheelchair accessible?");
    }

    /** The AI's user message of every call so far that mentions {@code text}. */
    private static List<String> promptsMentioning(String text) {
        return env.aiUserMessages().stream().filter(m -> m.contains(text)).toList();
    }

    private static int burstsWaiting() {
        return env.redis.getScoredSortedSet(Keys.debounceDue(INSTANCE), StringCodec.INSTANCE).size();
    }

    static String newKeyId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }
}
