package io.whatsappqueue.inbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestClock;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WA_OUT_OF_HOURS=notice (the default) with the built-in knowledge responder (no AI_BASE_URL): the same notice as
 * with the LLM, across the autumn change in Madrid, and over the clinic's closed dates; none while open.
 */
@CamelMainTest(configurationClasses = {TestClock.class, AppConfiguration.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutOfHoursKnowledgeResponderTest {
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withoutAi("clinic-hours-kb", Map.of(
            "WA_KNOWLEDGE_FILE", OutOfHoursWithAiTest.MADRID));

    @Test
    void closedAfterTheAutumnChangeTheAnswerSaysWhenTheClinicOpens() {
        TestClock.set(Instant.parse("2026-10-26T06:30:00Z"));     // Monday 07:30 in Madrid (UTC+1 since Sunday)
        String keyId = env.postText("447700900531", "What is your address?");

        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        assertThat(env.repliesTo(keyId).get(0).path("text").asText()).isEqualTo(
                "You can find us at Calle de Alcalá 1, 28014 Madrid.\n\n"
                        + "We're closed now. We open again Monday 26 October at 08:00.");
    }

    @Test
    void closedDatesAreSkippedInTheNotice() {
        TestClock.set(Instant.parse("2026-12-24T19:00:00Z"));     // Thursday 24 December 20:00; 25 and 26 are closed
        String keyId = env.postText("447700900532", "Hello!");

        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        assertThat(env.repliesTo(keyId).get(0).path("text").asText())
                .startsWith("Hello! Welcome to Clínica Retiro.")
                .endsWith("\n\nWe're closed now. We open again Monday 28 December at 08:00.");
    }

    @Test
    void openTheAnswerHasNoNotice() {
        TestClock.set(Instant.parse("2026-10-26T07:30:00Z"));     // Monday 08:30 in Madrid
        String keyId = env.postText("447700900533", "What is your address?");

        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
        assertThat(env.repliesTo(keyId).get(0).path("text").asText())
                .isEqualTo("You can find us at Calle de Alcalá 1, 28014 Madrid.");
    }
}
