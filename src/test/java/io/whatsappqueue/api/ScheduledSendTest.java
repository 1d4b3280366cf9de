package io.whatsappqueue.api;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.whatsappqueue.admin.AdminHttp;
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
 * Scheduled sends and cancel, as the clinic's system sees them: when Evolution receives a scheduled message,
 * that a cancelled one never arrives (scheduled, or queued behind its chat), and that a sent one cannot be cancelled.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduledSendTest {
    private static final String INSTANCE = "clinic-api-sched";
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of("WA_ROLE", "all", "API_TOKEN", ApiSendTest.TOKEN));
    private static final FakeEvolution EVOLUTION = APP.evolution();
    private static final AdminHttp API = AdminHttp.as(ApiSendTest.TOKEN);

    private static AdminHttp.Answer send(String to, String text, String extra) {
        return API.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"" + to + "\",\"text\":\"" + text
                + "\"" + (extra == null ? "" : "," + extra) + "}");
    }

    private static List<LoggedRequest> sendsTo(String number) {
        return EVOLUTION.sends().stream()
                .filter(r -> FakeEvolution.json(r.getBodyAsString()).path("number").asText().equals(number)).toList();
    }

    @Test
    void aScheduledMessageArrivesNotBeforeSendAtAndWithinASecondAfter() {
        Instant sendAt = Instant.now().plusMillis(2_500);
        AdminHttp.Answer a = send("447700900401", "Reminder: tomorrow 09:30", "\"send_at\":\"" + sendAt + "\"");

        assertThat(a.status()).isEqualTo(202);
        assertThat(a.json().path("status").asText()).isEqualTo("scheduled");
        await().atMost(Duration.ofSeconds(10)).until(() -> sendsTo("447700900401").size() == 1);
        Instant arrived = sendsTo("447700900401").get(0).getLoggedDate().toInstant();
        assertThat(arrived).isAfterOrEqualTo(sendAt);
        assertThat(Duration.between(sendAt, arrived)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void epochSecondsWork() {
        double sendAt = (System.currentTimeMillis() + 1_500) / 1000.0;
        AdminHttp.Answer a = send("447700900402", "Reminder", "\"send_at\":" + sendAt);

        assertThat(a.status()).isEqualTo(202);
        assertThat(a.json().path("status").asText()).isEqualTo("scheduled");
        await().atMost(Duration.ofSeconds(10)).until(() -> sendsTo("447700900402").size() == 1);
        assertThat(sendsTo("447700900402").get(0).getLoggedDate().getTime()).isGreaterThanOrEqualTo((long) (sendAt * 1000));
    }

    @Test
    void aCancelledScheduledMessageIsNeverSent() {
        Instant sendAt = Instant.now().plusMillis(1_500);
        String id = send("447700900403", "Reminder", "\"send_at\":\"" + sendAt + "\"").json().path("message_id").asText();

        AdminHttp.Answer cancel = API.delete("/api/messages/" + id);

        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("status").asText()).isEqualTo("cancelled");
        assertThat(API.delete("/api/messages/" + id).status()).isEqualTo(200);
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4)).until(() -> sendsTo("447700900403").isEmpty());
        assertThat(TestRedis.client().getScoredSortedSet(Keys.scheduled(INSTANCE)).contains(id)).isFalse();
    }

    @Test
    void aQueuedMessageCancelledWhileItWaitsBehindItsChatIsNeverSent() {
        // the chat's first message is slow to send, so the second waits in the stream behind it
        EVOLUTION.server().stubFor(FakeEvolution.sendTextTo("447700900404")
                .withRequestBody(matchingJsonPath("$.text", WireMock.equalTo("first"))).atPriority(1)
                .willReturn(FakeEvolution.created().withFixedDelay(2_000)));
        send("447700900404", "first", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> EVOLUTION.server().getServeEvents().getRequests().stream()
                .anyMatch(e -> e.getRequest().getBodyAsString().contains("\"first\"")));
        String second = send("447700900404", "second", null).json().path("message_id").asText();

        AdminHttp.Answer cancel = API.delete("/api/messages/" + second);

        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> TestRedis.xlen(Keys.sendStream(INSTANCE)) == 0);
        assertThat(sendsTo("447700900404")).extracting(r -> FakeEvolution.json(r.getBodyAsString()).path("text").asText())
                .containsExactly("first");
    }

    @Test
    void cancellingASentMessageIs409AlreadySent() {
        String id = send("447700900405", "Your results are ready", null).json().path("message_id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> sendsTo("447700900405").size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> TestRedis.xlen(Keys.sendStream(INSTANCE)) == 0);

        AdminHttp.Answer cancel = API.delete("/api/messages/" + id);

        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.json().path("error").asText()).isEqualTo("already_sent");
        assertThat(API.delete("/api/messages/api-unknown").status()).isEqualTo(404);
    }
}
