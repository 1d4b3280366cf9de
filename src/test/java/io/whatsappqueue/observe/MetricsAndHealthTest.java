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
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.EmbeddedRedis;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an operator's Prometheus and Kubernetes see on the management port: every wa_* metric with its
 * type and labels after traffic, a scrape promtool accepts, and readiness that follows Redis down and up.
 * This class runs its own Redis so it can stop it.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsAndHealthTest {
    private static final String INSTANCE = "clinic-observe";
    private static final int REDIS_PORT = TestRedis.freePort();
    private static EmbeddedRedis redis = EmbeddedRedis.start(null, REDIS_PORT);
    private static final FakeEvolution EVOLUTION = new FakeEvolution();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        TestApp.apply(TestApp.worker(INSTANCE, EVOLUTION.url(), Map.of(
                "REDIS_URL", "redis://127.0.0.1:" + REDIS_PORT,
                "WA_MAX_DELIVERIES", "1")));
    }

    @AfterAll
    void stop() {
        EVOLUTION.stop();
        redis.close();
    }

    private static String management(String path) throws IOException, InterruptedException {
        return get(path).body();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + System.getProperty("MANAGEMENT_PORT") + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void traffic() {
        var client = io.whatsappqueue.redis.RedisConnector.connect("redis://127.0.0.1:" + REDIS_PORT, 2);
        try {
            var stream = client.<String, String>getStream(Keys.sendStream(INSTANCE), org.redisson.client.codec.StringCodec.INSTANCE);
            var meta = OutboundMessages.json().createObjectNode().put("received_at", System.currentTimeMillis() / 1000.0);
            stream.add(org.redisson.api.stream.StreamAddArgs.entries(Map.of("payload",
                    OutboundMessages.newPayload("obs-1", "447700901001", "hi", meta))));
            stream.add(org.redisson.api.stream.StreamAddArgs.entries(Map.of("payload", "not json")));
            stream.add(org.redisson.api.stream.StreamAddArgs.entries(Map.of("payload",
                    OutboundMessages.newPayload("obs-2", "447700901001", "hi again", meta))));
        } finally {
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sends().size() == 2);
    }

    @Test
    void afterTrafficEveryMetricIsExposedWithItsTypeAndInstanceLabel() throws Exception {
        traffic();
        await().atMost(Duration.ofSeconds(5)).until(() -> management("/observe/metrics").contains("wa_messages_dead_lettered_total"));
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
        assertThat(scrape).containsPattern("(?m)^wa_messages_sent_total\\{instance=\"" + INSTANCE + "\",?\\} 2\\.0$");
        assertThat(scrape).containsPattern("(?m)^wa_send_duration_seconds_bucket\\{instance=\"" + INSTANCE + "\",le=\"0\\.005\"");
        assertThat(scrape).containsPattern("(?m)^wa_send_duration_seconds_bucket\\{instance=\"" + INSTANCE + "\",le=\"60\\.0\"");
        assertThat(scrape).containsPattern("(?m)^wa_dlq_depth\\{instance=\"" + INSTANCE + "\",?\\} 1\\.0$");
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
        redis.kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/observe/health/ready").statusCode() == 503);
        assertThat(management("/observe/health/ready")).contains("\"name\":\"redis\",\"status\":\"DOWN\"");
        assertThat(get("/observe/health/live").statusCode()).as("liveness does not depend on Redis").isEqualTo(200);

        redis = EmbeddedRedis.start(null, REDIS_PORT);
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/observe/health/ready").statusCode() == 200);
    }
}
