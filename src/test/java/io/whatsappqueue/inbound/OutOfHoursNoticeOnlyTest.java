package io.whatsappqueue.inbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestClock;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WA_OUT_OF_HOURS=notice_only with the LLM configured: while closed the patient gets the notice alone and the AI is
 * not called (greetings included); once the clinic opens the AI answers again. Madrid, around the spring change.
 */
@CamelMainTest(configurationClasses = {TestClock.class, AppConfiguration.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutOfHoursNoticeOnlyTest {
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi("clinic-hours-only", Map.of(
            "WA_KNOWLEDGE_FILE", OutOfHoursWithAiTest.MADRID,
            "WA_OUT_OF_HOURS", "notice_only",
            "AI_TIMEOUT_MS", "15000"));

    @BeforeEach
    void resetPeers() {
        env.stubEvolution();
    }

    @Test
    void closedTheNoticeIsTheWholeReplyAndTheAiIsNotCalled() {
        TestClock.set(Instant.parse("2026-03-28T19:00:00Z"));     // Saturday 20:00 in Madrid, winter time
        String question = env.postText("447700900511", "Can I book a blood test?");
        String greeting = env.postText("447700900512", "Hello!");

        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(question).size() == 1
                && env.repliesTo(greeting).size() == 1);
        String notice = "We're closed now. We open again Monday 30 March at 08:00.";
        assertThat(env.repliesTo(question).get(0).path("text").asText()).isEqualTo(notice);
        assertThat(env.repliesTo(greeting).get(0).path("text").asText()).isEqualTo(notice);
        assertThat(env.aiCalls()).isZero();
    }

    @Test
    void openTheAiAnswers() {
        TestClock.set(Instant.parse("2026-03-30T06:30:00Z"));     // Monday 08:30 in Madrid, summer time
        String keyId = env.postText("447700900513", "Can I book a blood test?");

        await().atMost(Duration.ofSeconds(20)).until(() -> env.repliesTo(keyId).size() == 1);
        assertThat(env.repliesTo(keyId).get(0).path("text").asText()).isEqualTo("Thanks for your message, we will help you.");
        assertThat(env.aiCalls()).isEqualTo(1);
    }
}
