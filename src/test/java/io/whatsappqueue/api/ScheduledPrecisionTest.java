package io.whatsappqueue.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.whatsappqueue.admin.AdminHttp;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduling precision DESIGN §9 promises, with the default WA_SCHEDULE_POLL_MS: 1,000 messages due in the
 * same second enter the send stream none before its send_at and 99 % within 1 s after. Lateness is the stream
 * entry's id time (Redis's clock at the XADD) minus send_at. A web process: nothing is sent, the entries stay.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduledPrecisionTest {
    private static final String INSTANCE = "clinic-api-precision";
    @RegisterExtension
    static final TestApp APP = TestApp.web(INSTANCE).with(Map.of("API_TOKEN", ApiSendTest.TOKEN,
            "WA_STREAM_MAXLEN", "5000"));

    @Test
    void aThousandMessagesDueInTheSameSecondEnterTheStreamNoneEarlyAndNinetyNinePercentWithinASecond() {
        int n = 1_000;
        long due = (System.currentTimeMillis() / 1000 + 20) * 1000;
        AdminHttp api = AdminHttp.as(ApiSendTest.TOKEN);
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            String sendAt = Instant.ofEpochMilli(due + i % 1000).toString();
            assertThat(api.post("/api/messages", "{\"instance\":\"" + INSTANCE + "\",\"to\":\"" + (447700920000L + i)
                    + "\",\"text\":\"Reminder " + i + "\",\"send_at\":\"" + sendAt + "\"}").status()).isEqualTo(202);
        });
        assertThat(System.currentTimeMillis()).as("all scheduled before they are due").isLessThan(due);

        await().atMost(Duration.ofSeconds(45)).until(() -> TestRedis.xlen(Keys.sendStream(INSTANCE)) == n);

        List<Long> lateness = new ArrayList<>();
        var entries = TestRedis.stream(Keys.sendStream(INSTANCE))
                .range(org.redisson.api.StreamMessageId.MIN, org.redisson.api.StreamMessageId.MAX);
        entries.forEach((id, fields) -> {
            int k = Integer.parseInt(fields.get("payload").replaceAll(".*\"Reminder (\\d+)\".*", "$1"));
            lateness.add(id.getId0() - (due + k % 1000));
        });
        Collections.sort(lateness);
        long p50 = lateness.get(n / 2);
        long p99 = lateness.get(n * 99 / 100);
        System.out.printf("scheduling lateness of %d messages due in one second: min %d ms, p50 %d ms, p99 %d ms,"
                + " max %d ms%n", lateness.size(), lateness.get(0), p50, p99, lateness.get(n - 1));
        assertThat(lateness.get(0)).as("never before send_at").isGreaterThanOrEqualTo(0);
        assertThat(p99).as("p99 lateness ms").isLessThan(1_000);
    }
}
