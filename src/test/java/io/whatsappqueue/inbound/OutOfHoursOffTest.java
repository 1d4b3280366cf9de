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

/** WA_OUT_OF_HOURS=off: a clinic with opening hours answers at night exactly as by day, and the AI is not told the time. */
@CamelMainTest(configurationClasses = {TestClock.class, AppConfiguration.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutOfHoursOffTest {
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi("clinic-hours-off", Map.of(
            "WA_KNOWLEDGE_FILE", OutOfHoursWithAiTest.MADRID,
            "WA_OUT_OF_HOURS", "off",
            "AI_TIMEOUT_MS", "15000"));

    @Test
    void closedTheAnswerHasNoNoticeAndThePromptNoTime() {
        env.stubEvolution();
        TestClock.set(Instant.parse("2026-03-28T23:00:00Z"));     // Sunday 00:00 in Madrid
        String keyId = env.postText("447700900521", "Can I book a blood test?");

        await().atMost(Duration.ofSeconds(20)).until(() -> env.repliesTo(keyId).size() == 1);
        assertThat(env.repliesTo(keyId).get(0).path("text").asText()).isEqualTo("Thanks for your message, we will help you.");
        assertThat(env.aiSystemPrompts().get(0)).doesNotContain("Now:").doesNotContain("closed now");
    }
}
