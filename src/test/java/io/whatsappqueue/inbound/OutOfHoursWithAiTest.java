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

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WA_OUT_OF_HOURS=notice (the default) with the LLM, for a clinic in Madrid on the day its clocks go forward
 * (Sunday 29 March 2026): while closed the AI's answer is followed by when the clinic opens next, and the AI is told
 * the local time and that it is closed; while open the answer is the AI's alone and the AI is told it is open.
 */
@CamelMainTest(configurationClasses = {TestClock.class, AppConfiguration.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutOfHoursWithAiTest {
    static final String MADRID = "classpath:knowledge/madrid-clinic.yaml";
    private static final String AI = "Thanks for your message, we will help you.";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi("clinic-hours-ai", Map.of(
            "WA_KNOWLEDGE_FILE", MADRID,
            "AI_TIMEOUT_MS", "15000"));     // the first call of a cold JVM on a busy machine is slow

    @BeforeEach
    void resetPeers() {
        env.stubEvolution();
    }

    @Test
    void closedOnTheDayOfTheSpringChangeTheAnswerSaysWhenTheClinicOpensInSummerTime() {
        TestClock.set(Instant.parse("2026-03-29T10:00:00Z"));     // Sunday 12:00 in Madrid (UTC+2 since 02:00)
        String keyId = env.postText("447700900501", "Can I book a blood test?");

        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        assertThat(env.repliesTo(keyId).get(0).path("text").asText())
                .isEqualTo(AI + "\n\nWe're closed now. We open again Monday 30 March at 08:00.");
        assertThat(env.aiSystemPrompts().get(0))
                .contains("Now: Sunday 29 March 2026, 12:00 at the clinic (Europe/Madrid).")
                .contains("The clinic is closed now; it opens again Monday 30 March at 08:00.");
    }

    @Test
    void openAtEightThirtySummerTimeTheAnswerIsTheAisAlone() {
        TestClock.set(Instant.parse("2026-03-30T06:30:00Z"));     // Monday 08:30 in Madrid; 07:30 in winter time
        String keyId = env.postText("447700900502", "Can I book a blood test?");

        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        assertThat(env.repliesTo(keyId).get(0).path("text").asText()).isEqualTo(AI);
        assertThat(env.aiSystemPrompts().get(0)).contains("The clinic is open now, until 13:00.");
    }
}
