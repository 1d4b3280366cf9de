package io.whatsappqueue.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.FakeEvolution;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Patients state their business, then ask for a person. With burst debounce on, the first message is still held
 * when the request pauses the chat, and a burst fired into a paused chat is not answered: staff must see it in the
 * hand-off notice, before the request.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandoffDuringBurstTest {
    private static final String INSTANCE = "clinic-handoff-burst";
    private static final String STAFF = "447700900998";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of(
            "WA_ROLE", "all",
            "WA_TOKENS_PER_SECOND", "0",
            "WA_SEND_DELAY_MS", "0",
            "WA_DEBOUNCE_MS", "4000",
            "WA_DEBOUNCE_MAX_MS", "8000",
            "WA_HANDOFF_NOTIFY_TO", "+" + STAFF));

    @BeforeEach
    void peers() {
        env.stubEvolution();
        env.wiremock.stubFor(FakeEvolution.sendText().willReturn(FakeEvolution.created()));
        env.app.evolution().connectionState("open");
    }

    @Test
    void aMessageHeldInTheBurstWhenThePatientAsksForAPersonIsInTheStaffNotice() {
        String patient = "447700900561";
        env.postText(patient, "I need to move my appointment to Friday");
        env.postText(patient, "talk to a person");

        await().atMost(Duration.ofSeconds(20)).until(() -> staffNotices().size() == 1);
        String notice = staffNotices().get(0).path("text").asText();
        assertThat(notice).contains("Patient: I need to move my appointment to Friday").contains("Patient: talk to a person");
        assertThat(notice.indexOf("Patient: I need to move")).isLessThan(notice.indexOf("Patient: talk to a person"));
    }

    private static List<JsonNode> staffNotices() {
        return env.app.evolution().sentBodies().stream().filter(b -> b.path("number").asText().startsWith(STAFF)).toList();
    }
}
