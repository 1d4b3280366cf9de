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
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.EmbeddedRedis;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Health that tells the truth, seen from outside as an operator and Kubernetes see it: every wa_* series at
 * 0 from start; admin health that keeps counting a live, idle worker through a group re-creation; with Redis
 * frozen (SIGSTOP), /observe/health answering at once with DOWN and a webhook's 503 not claiming that nothing
 * was kept (it was); readiness DOWN while a route this role needs is stopped or gone. Runs its own Redis, which
 * it freezes.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TruthfulHealthTest implements CamelContextAware {
    private static final List<String> INSTANCES = List.of("truth-a", "truth-b");
    private static final String TOKEN = "truth-admin-token";
    private static final int REDIS_PORT = TestRedis.freePort();
    private static final EmbeddedRedis REDIS = EmbeddedRedis.start(null, REDIS_PORT);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestApp APP = TestApp.worker(String.join(",", INSTANCES)).with(Map.of(
            "REDIS_URL", "redis://127.0.0.1:" + REDIS_PORT, "WA_ROLE", "all", "ADMIN_TOKEN", TOKEN,
            "WA_MAX_MESSAGE_AGE_S", "0", "WA_STREAM_BLOCK_MS", "5000"));

    private CamelContext context;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @AfterAll
    void stop() throws Exception {
        signal("CONT");
        REDIS.close();
    }

    private static HttpResponse<String> call(String port, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + System.getProperty(port) + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return call("MANAGEMENT_PORT", "GET", path, null);
    }

    private static JsonNode adminHealth() throws IOException, InterruptedException {
        return JSON.readTree(call("PORT", "GET", "/admin/streams/health?instance=truth-a", null).body());
    }

    private static void signal(String sig) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + sig, String.valueOf(REDIS.pid())).start().waitFor()).isZero();
    }

    @Test
    @Order(1)
    void everyCounterAndHistogramExistsAtZeroForEveryInstanceFromStart() throws Exception {
        String scrape = management("/observe/metrics").body();
        for (String instance : INSTANCES) {
            for (WaMetrics.Family f : WaMetrics.FAMILIES) {
                String name = f.name().replace('.', '_') + (f.histogram() ? "_seconds_count" : "_total");
                List<String> labels = f.label() == null ? java.util.Collections.singletonList(null) : f.values();
                for (String value : labels) {
                    String series = "(?m)^" + name + "\\{[^}]*instance=\"" + instance + "\""
                            + (value == null ? "" : "[^}]*" + f.label() + "=\"" + value + "\"") + "[^}]*\\} 0(\\.0)?$";
                    assertThat(scrape).as(name + " " + instance + " " + value).containsPattern(series);
                }
            }
        }
        for (String family : List.of("wa_messages_sent_total", "wa_messages_failed_total", "wa_messages_dead_lettered_total",
                "wa_messages_deduplicated_total", "wa_webhook_events_total", "wa_send_duration_seconds_count",
                "wa_ai_duration_seconds_count", "wa_end_to_end_seconds_count")) {
            assertThat(scrape).as("DESIGN §8 " + family).containsPattern("(?m)^" + family + "\\{[^}]*instance=\"truth-b\"");
        }
    }

    @Test
    @Order(2)
    void anIdleWorkerStaysCountedThroughAGroupRecreation() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> adminHealth().path("consumers_count").asInt() >= 1);
        assertThat(call("PORT", "DELETE", "/admin/streams/destroy-recreate?instance=truth-a", null).statusCode()).isEqualTo(200);
        long until = System.currentTimeMillis() + 3000;
        do {
            JsonNode h = adminHealth();
            assertThat(h.path("status").asText()).as(h.toString()).isEqualTo("healthy");
            assertThat(h.path("consumers_count").asInt()).as(h.toString()).isGreaterThanOrEqualTo(1);
        } while (System.currentTimeMillis() < until);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                management("/observe/metrics").body().matches("(?s).*\\nwa_consumers\\{instance=\"truth-a\",?\\} [1-9].*"));
    }

    @Test
    @Order(3)
    void withRedisFrozenHealthAnswersWithinASecondSaysDownAndAWebhook503DoesNotClaimNothingWasKept() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> management("/observe/health/ready").statusCode() == 200);
        byte[] event = Files.readAllBytes(Path.of("src/test/resources/fixtures/evolution/01-text-conversation.json"));
        String webhook = new String(event, java.nio.charset.StandardCharsets.UTF_8).replace("acme-support", "truth-a");
        signal("STOP");
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> management("/observe/health/ready").statusCode() == 503);
            for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/health")) {
                long started = System.nanoTime();
                HttpResponse<String> h = management(path);
                assertThat((System.nanoTime() - started) / 1_000_000).as(path + " answered in ms").isLessThan(1000);
                assertThat(h.statusCode()).isEqualTo(503);
                assertThat(h.body()).contains("\"name\":\"redis\",\"status\":\"DOWN\"");
            }
            HttpResponse<String> answer = call("PORT", "POST", "/webhooks/evolution", webhook);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).doesNotContain("nothing was kept").contains("may or may not have been kept");
        } finally {
            signal("CONT");
        }
        // Redis applied the write it had received: the event was kept, and Evolution's retry is a duplicate
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                call("PORT", "POST", "/webhooks/evolution", webhook).body().contains("\"status\":\"duplicate\""));
        await().atMost(Duration.ofSeconds(10)).until(() -> management("/observe/health/ready").statusCode() == 200);
    }

    @Test
    @Order(4)
    void readinessIsDownWhileARouteThisRoleNeedsIsStoppedOrGone() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> management("/observe/health/ready").statusCode() == 200);
        context.getRouteController().stopRoute("dead-letter");
        HttpResponse<String> stopped = management("/observe/health/ready");
        assertThat(stopped.statusCode()).isEqualTo(503);
        assertThat(stopped.body()).contains("dead-letter stopped");
        context.getRouteController().startRoute("dead-letter");
        await().atMost(Duration.ofSeconds(5)).until(() -> management("/observe/health/ready").statusCode() == 200);

        // a route that came after start (a route file added through WA_ROUTES_RELOAD) is needed as much
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:added-later").routeId("added-later").log("added later");
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> management("/observe/health/ready").statusCode() == 200);
        context.getRouteController().stopRoute("added-later");
        HttpResponse<String> addedStopped = management("/observe/health/ready");
        assertThat(addedStopped.statusCode()).isEqualTo(503);
        assertThat(addedStopped.body()).contains("added-later stopped");
        context.removeRoute("added-later");
        await().atMost(Duration.ofSeconds(5)).until(() -> management("/observe/health/ready").statusCode() == 200);

        // a failed route reload leaves routes removed, and Camel's own per-route checks go with them
        context.getRouteController().stopRoute("admin-chats-paused");
        context.removeRoute("admin-chats-paused");
        HttpResponse<String> gone = management("/observe/health/ready");
        assertThat(gone.statusCode()).isEqualTo(503);
        assertThat(gone.body()).contains("admin-chats-paused missing");
    }
}
