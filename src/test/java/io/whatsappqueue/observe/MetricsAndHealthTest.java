package io.whatsappqueue.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator's Prometheus and Kubernetes see on the management port: every wa_* metric with its
 * type and labels after traffic, a scrape promtool accepts, and readiness that follows Redis down and up.
 * The readiness test stops the JVM's one Redis and brings it back on the same port.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsAndHealthTest {
    private static final String INSTANCE = "clinic-observe";
    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with("WA_MAX_DELIVERIES", "1");
    private static final FakeEvolution EVOLUTION = APP.evolution();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger ROUND = new AtomicInteger();

    private static String management(String path) throws IOException, InterruptedException {
        return get(path).body();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(APP.managementUrl(path)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Two replies and one poison entry; waits until Evolution got both replies and the poison entry is in the
     * DLQ. Any test may call it, in any order.
     */
    private static void traffic() {
        int round = ROUND.incrementAndGet();
        int before = EVOLUTION.sends().size();
        long deadBefore = TestRedis.xlen(Keys.deadLetters(INSTANCE));
        String stream = Keys.sendStream(INSTANCE);
        var meta = OutboundMessages.json().createObjectNode().put("received_at", System.currentTimeMillis() / 1000.0);
        TestRedis.addPayload(stream, OutboundMessages.newPayload("obs-" + round + "-1", "447700901001", "hi", meta));
        TestRedis.addPayload(stream, "not json");
        TestRedis.addPayload(stream, OutboundMessages.newPayload("obs-" + round + "-2", "447700901001", "hi again", meta));
        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sends().size() == before + 2
                && TestRedis.xlen(Keys.deadLetters(INSTANCE)) == deadBefore + 1);
    }

    @Test
    void afterTrafficEveryMetricIsExposedWithItsTypeAndInstanceLabel() throws Exception {
        traffic();
        // what Evolution received and what is in the DLQ, whichever tests ran before in this context
        String sent = "(?m)^wa_messages_sent_total\\{instance=\"" + INSTANCE + "\",?\\} " + EVOLUTION.sends().size() + "\\.0$";
        String dlq = "(?m)^wa_dlq_depth\\{instance=\"" + INSTANCE + "\",?\\} " + TestRedis.xlen(Keys.deadLetters(INSTANCE)) + "\\.0$";
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            String m = management("/observe/metrics");
            return m.contains("wa_messages_dead_lettered_total") && Pattern.compile(sent).matcher(m).find()
                    && Pattern.compile(dlq).matcher(m).find();
        });
        String scrape = management("/observe/metrics");
        Map<String, String> types = Map.of(
                "wa_queue_depth", "gauge", "wa_queue_pending", "gauge", "wa_dlq_depth", "gauge", "wa_consumers", "gauge",
                "wa_evolution_connected", "gauge",
                "wa_messages_sent_total", "counter", "wa_messages_dead_lettered_total", "counter",
                "wa_send_duration_seconds", "histogram", "wa_end_to_end_seconds", "histogram");
        types.forEach((name, type) -> {
            String typeName = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
            assertThat(scrape).as(name).containsPattern("(?m)^# TYPE " + typeName + "(_total)? " + type + "$");
            assertThat(scrape).as(name).containsPattern("(?m)^" + name + "(_bucket|_count)?\\{[^}]*instance=\"" + INSTANCE + "\"");
        });
        assertThat(scrape).containsPattern(sent);
        assertThat(scrape).containsPattern("(?m)^wa_send_duration_seconds_bucket\\{instance=\"" + INSTANCE + "\",le=\"0\\.005\"");
        assertThat(scrape).containsPattern("(?m)^wa_send_duration_seconds_bucket\\{instance=\"" + INSTANCE + "\",le=\"60\\.0\"");
        assertThat(scrape).containsPattern(dlq);
        assertThat(scrape).containsPattern("(?m)^wa_consumers\\{instance=\"" + INSTANCE + "\",?\\} 1\\.0$");
        assertThat(scrape).contains("camel_exchanges_total");
    }

    @Test
    void aRealScrapePassesPromtoolCheckMetrics() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean promtool = new ProcessBuilder("sh", "-c", "command -v promtool").start().waitFor() == 0;
        if (ci) {
            assertThat(promtool).as("CI installs promtool (.ci/promtool-tests) before the Maven tests").isTrue();
        }
        Assumptions.assumeTrue(promtool, "promtool not installed (Debian package prometheus); CI runs this check");
        traffic();
        String full = management("/observe/metrics");
        // the whole scrape parses; Camel's own series carry lint findings (camelCase labels) that are not ours
        String fullOut = promtoolCheck(full);
        assertThat(fullOut).doesNotContain("error while linting").doesNotContain("text format parsing error");
        assertThat(fullOut.lines().filter(l -> l.startsWith("wa_"))).as(fullOut).isEmpty();
        // our families alone pass without a single finding
        String ours = full.lines().filter(l -> l.startsWith("wa_") || l.startsWith("# HELP wa_") || l.startsWith("# TYPE wa_"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertThat(ours).contains("wa_messages_sent_total");
        assertThat(promtoolCheck(ours)).isEmpty();
    }

    private static String promtoolCheck(String metrics) throws IOException, InterruptedException {
        Path scrape = Files.createTempFile("scrape", ".prom");
        Files.writeString(scrape, metrics);
        Process p = new ProcessBuilder("sh", "-c", "promtool check metrics < " + scrape).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        int code = p.waitFor();
        return code == 0 ? out : (out.isEmpty() ? "exit " + code : out);
    }

    @Test
    void readinessGoesDownWhenRedisStopsAndUpWhenItReturns() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/observe/health/ready").statusCode() == 200);
        TestRedis.kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/observe/health/ready").statusCode() == 503);
        assertThat(management("/observe/health/ready")).contains("\"name\":\"redis\",\"status\":\"DOWN\"");
        assertThat(get("/observe/health/live").statusCode()).as("liveness does not depend on Redis").isEqualTo(200);

        TestRedis.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/observe/health/ready").statusCode() == 200);
    }
}
