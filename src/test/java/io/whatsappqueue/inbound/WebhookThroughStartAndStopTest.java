package io.whatsappqueue.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.Webhooks;
import io.whatsappqueue.support.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Evolution posting all through a web process's start and its SIGTERM, as in a rolling deploy: every answer is
 * either a 200 (and then the event is in Redis) or one Evolution retries (503, or no connection); never the 404
 * the HTTP server used to give while it listened before the webhook route ran (Evolution 2.3 drops a 404).
 */
class WebhookThroughStartAndStopTest {
    private static final String INSTANCE = "gate-a";

    @RegisterExtension
    static final TestApp APP = TestApp.processes(INSTANCE);

    @Test
    void duringStartAndStopEveryWebhookIsAcceptedOrRetriableNeverLost() throws Exception {
        int port = TestRedis.freePort();
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        Map<String, String> outcomes = new TreeMap<>();
        AtomicBoolean hammering = new AtomicBoolean(true);
        Thread evolution = new Thread(() -> {
            while (hammering.get()) {
                String keyId = "GATE" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
                try {
                    HttpResponse<String> r = Webhooks.post(port, Webhooks.textMessage(INSTANCE, keyId, "447700900951", "Hi"));
                    answers.put(keyId, r.statusCode());
                    synchronized (outcomes) {
                        outcomes.merge(r.statusCode() + " " + r.body().replaceAll("\"(key|message)\":\"[^\"]*\"", ""),
                                "x", (a, b) -> a.length() < 3 ? a + b : a);
                    }
                } catch (IOException e) {
                    answers.put(keyId, -1);     // no connection: Evolution retries
                }
            }
        }, "evolution");
        evolution.start();
        WorkerProcess web = WorkerProcess.launch(Map.of("REDIS_URL", TestRedis.url(), "WA_ROLE", "web",
                "WA_INSTANCES", INSTANCE, "PORT", String.valueOf(port), "WA_MAX_MESSAGE_AGE_S", "0",
                "AI_BASE_URL", "http://127.0.0.1:9"), null);
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
                    .until(() -> answers.values().stream().filter(s -> s == 200).count() >= 50);
            web.terminate();
            web.awaitExit(60);
        } finally {
            hammering.set(false);
            evolution.join(30_000);
            web.close();
        }

        List<Integer> statuses = new ArrayList<>(answers.values());
        assertThat(statuses).as("answers seen: " + outcomes.keySet()).contains(200).allMatch(s -> s == 200 || s == 503 || s == -1);
        answers.forEach((keyId, status) -> {
            if (status == 200) {
                assertThat(TestRedis.client().getBucket(Keys.inboundDedupe(INSTANCE, keyId)).isExists())
                        .as("accepted " + keyId + " is kept").isTrue();
            }
        });
    }
}
