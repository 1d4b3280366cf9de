package io.whatsappqueue.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.whatsappqueue.admin.AdminHttp;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many movers on the same due messages (the app's scheduled-move timer route and four more racing from other
 * threads): each message enters the send stream exactly once. A web process without a send worker, so the stream
 * keeps what was moved and can be counted (the send side's own de-duplication cannot hide a second entry).
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduledMoveRaceTest {
    private static final String INSTANCE = "clinic-api-race";
    @RegisterExtension
    static final TestApp APP = TestApp.web(INSTANCE).with(Map.of("API_TOKEN", ApiSendTest.TOKEN,
            "WA_SCHEDULE_POLL_MS", "10"));

    @BeanInject
    ScheduledMessages scheduledMessages;

    @Test
    void dueMessagesEnterTheStreamOnceWhileManyMoversRace() throws Exception {
        int n = 300;
        long due = System.currentTimeMillis() + 1_500;
        Set<String> ids = new HashSet<>();
        AdminHttp api = AdminHttp.as(ApiSendTest.TOKEN);
        for (int i = 0; i < n; i++) {
            ids.add(api.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"" + (447700910000L + i)
                    + "\",\"text\":\"race " + i + "\",\"send_at\":" + due / 1000.0 + "}").json().path("message_id").asText());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() >= due);
            List<CompletableFuture<Void>> movers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                movers.add(CompletableFuture.runAsync(() -> {
                    while (TestRedis.client().getScoredSortedSet(Keys.scheduled(INSTANCE)).size() > 0) {
                        scheduledMessages.moveDue();
                    }
                }, pool));
            }
            CompletableFuture.allOf(movers.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdownNow();
        }

        List<String> inStream = TestRedis.entries(Keys.sendStream(INSTANCE)).stream()
                .map(e -> OutboundMessages.parse(e.get("payload"), "").messageId()).toList();
        assertThat(inStream).hasSize(n).doesNotHaveDuplicates();
        assertThat(new HashSet<>(inStream)).isEqualTo(ids);
    }
}
