package io.whatsappqueue.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.whatsappqueue.admin.AdminHttp;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A scheduled message survives the only process being killed (SIGKILL) before its send_at: the process started
 * after it sends it, once, not before its time. The service runs as real processes, as an operator runs it.
 */
class ScheduledAcrossRestartTest {
    private static final String INSTANCE = "clinic-api-restart";
    @RegisterExtension
    static final TestApp APP = TestApp.processes(INSTANCE);

    @Test
    void aScheduledMessageIsSentOnceByTheProcessStartedAfterTheOnlyOneWasKilled() {
        FakeEvolution evolution = new FakeEvolution();
        try {
            Map<String, String> env = TestApp.workerEnv(INSTANCE, evolution.url(), Map.of("WA_ROLE", "all",
                    "API_TOKEN", ApiSendTest.TOKEN, "PORT", String.valueOf(APP.port())));
            Instant sendAt;
            try (WorkerProcess first = WorkerProcess.startWorker(env)) {
                sendAt = Instant.now().plusSeconds(3);
                AdminHttp.Answer a = AdminHttp.as(ApiSendTest.TOKEN).post("/api/messages", "{\"instance\":\"" + INSTANCE
                        + "\",\"to\":\"447700900701\",\"text\":\"Reminder\",\"send_at\":\"" + sendAt + "\"}");
                assertThat(a.status()).as(a.body()).isEqualTo(202);
                assertThat(a.json().path("status").asText()).isEqualTo("scheduled");
                first.kill();
            }
            assertThat(evolution.sendsTo("447700900701")).isZero();

            try (WorkerProcess second = WorkerProcess.startWorker(env)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> evolution.sendsTo("447700900701") == 1);
                assertThat(evolution.sends().get(0).getLoggedDate().toInstant()).isAfterOrEqualTo(sendAt);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                        .until(() -> evolution.sendsTo("447700900701") == 1);
            }
        } finally {
            evolution.stop();
        }
    }
}
