package io.whatsappqueue.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.redis.RedisConnector;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

/**
 * Instances added and removed at run time (DESIGN §5, §6 wa:instances), as an operator and Evolution see it:
 * the admin API changes the set, and the webhook, the admin {@code ?instance=} checks and the gauges follow
 * within 5 s, also when the change was written to Redis without an announcement.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstancesAdminTest {
    private static final AdminHttp ADMIN = AdminHttp.as(TestApp.ADMIN_TOKEN);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WITHIN = Duration.ofSeconds(5);

    // "ia-left": served by an earlier deployment whose WA_INSTANCES named it
    @RegisterExtension
    static final TestApp APP = TestApp.web("ia-seed-a,ia-seed-b").with("WA_MAX_MESSAGE_AGE_S", "0")
            .beforeBoot(redis -> redis.getSet("wa:instances", StringCodec.INSTANCE).add("ia-left"));

    @Test
    void waInstancesSeedTheSetAndAnInstanceAlreadyInItStaysServed() {
        assertTrue(set().readAll().containsAll(Set.of("ia-seed-a", "ia-seed-b", "ia-left")));

        JsonNode list = ADMIN.get("/admin/instances").json();

        List<String> names = new ArrayList<>();
        list.get("instances").forEach(i -> names.add(i.get("name").asText()));
        assertEquals(List.of("ia-seed-a", "ia-seed-b", "ia-left"), names.subList(0, 3));
        assertTrue(list.get("instances").get(0).get("in_wa_instances").asBoolean());
        assertFalse(list.get("instances").get(2).get("in_wa_instances").asBoolean());
        assertEquals("accepted", webhook("ia-left").path("status").asText());
    }

    @Test
    void anInstanceAddedThroughTheAdminApiIsAcceptedByTheWebhookWithin5s() {
        assertUnknownToTheWebhook("ia-new");

        AdminHttp.Answer created = ADMIN.post("/admin/instances", "{\"name\":\"ia-new\"}");
        AdminHttp.Answer again = ADMIN.post("/admin/instances", "{\"name\":\"ia-new\"}");

        assertEquals(201, created.status(), created.body());
        assertTrue(created.json().get("added").asBoolean());
        assertEquals(200, again.status(), again.body());
        assertFalse(again.json().get("added").asBoolean());
        await().atMost(WITHIN).until(() -> "accepted".equals(webhook("ia-new").path("status").asText()));
        assertEquals(200, ADMIN.get("/admin/streams/health?instance=ia-new").status());
        await().atMost(WITHIN).until(() -> metrics().contains("wa_queue_depth{instance=\"ia-new\""));
        assertTrue(management("/observe/health").contains("ia-new"), "the Evolution check covers it");
    }

    @Test
    void aRemovedInstanceIsRejectedWithin5sAndItsBacklogIsKept() {
        ADMIN.post("/admin/instances", "{\"name\":\"ia-gone\"}");
        await().atMost(WITHIN).until(() -> "accepted".equals(webhook("ia-gone").path("status").asText()));
        // the reply side serves the added instance too: the patient's message is answered into its send stream
        await().atMost(WITHIN).until(() -> stream("wa:ia-gone:stream").isExists() && stream("wa:ia-gone:stream").size() == 1);
        stream("wa:ia-gone:stream").add(StreamAddArgs.entries(Map.of("payload", "{\"message_id\":\"m1\"}")));
        stream("wa:ia-gone:stream").add(StreamAddArgs.entries(Map.of("payload", "{\"message_id\":\"m2\"}")));
        stream("wa:ia-gone:dlq").add(StreamAddArgs.entries(Map.of("payload", "{\"message_id\":\"m0\"}")));

        AdminHttp.Answer removed = ADMIN.delete("/admin/instances/ia-gone");

        assertEquals(200, removed.status(), removed.body());
        assertEquals(3, removed.json().get("queue_depth").asLong());
        assertEquals(1, removed.json().get("dlq_depth").asLong());
        await().atMost(WITHIN).untilAsserted(() -> assertUnknownToTheWebhook("ia-gone"));
        assertEquals(3, stream("wa:ia-gone:stream").size(), "the backlog stays in Redis");
        assertEquals(1, stream("wa:ia-gone:dlq").size());
        assertEquals(404, ADMIN.get("/admin/streams/health?instance=ia-gone").status());
        await().atMost(WITHIN).until(() -> !metrics().contains("wa_queue_depth{instance=\"ia-gone\""));
        AdminHttp.Answer twice = ADMIN.delete("/admin/instances/ia-gone");
        assertEquals(404, twice.status());
        assertEquals("unknown_instance", twice.json().get("error").asText());
    }

    @Test
    void aChangeWrittenToRedisWithoutAnnouncementIsFollowedWithin5s() {
        assertUnknownToTheWebhook("ia-quiet");

        set().add("ia-quiet");
        await().atMost(WITHIN).until(() -> "accepted".equals(webhook("ia-quiet").path("status").asText()));

        set().remove("ia-quiet");
        await().atMost(WITHIN).untilAsserted(() -> assertUnknownToTheWebhook("ia-quiet"));
    }

    @Test
    void anotherProcessHearsTheAdminApisChangesOnTheChannel() {
        RedissonClient client = RedisConnector.connect(TestRedis.url(), 4);
        ServedInstances peer = new ServedInstances(client, List.of());
        try {
            peer.start();
            ADMIN.post("/admin/instances", "{\"name\":\"ia-peer\"}");
            // the peer has no refresh timer: only the announcement can tell it
            await().atMost(WITHIN).until(() -> peer.serves("ia-peer"));
            ADMIN.delete("/admin/instances/ia-peer");
            await().atMost(WITHIN).until(() -> !peer.serves("ia-peer"));
        } finally {
            peer.close();
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void badRequestsGetJsonErrorsNamingTheFieldAndChangeNothing() {
        Set<String> before = set().readAll();
        for (String body : List.of("not json", "[]", "{}", "{\"name\":5}", "{\"nom\":\"ia-x\"}")) {
            AdminHttp.Answer a = ADMIN.post("/admin/instances", body);
            assertEquals(400, a.status(), body + " -> " + a.body());
            assertEquals("invalid_body", a.json().get("error").asText());
        }
        assertTrue(ADMIN.post("/admin/instances", "{}").json().get("message").asText().contains("'name'"));
        for (String name : List.of("bad name", "{ia}", "-ia", "x".repeat(65), "")) {
            AdminHttp.Answer a = ADMIN.post("/admin/instances", JSON.createObjectNode().put("name", name).toString());
            assertEquals(422, a.status(), name + " -> " + a.body());
            assertEquals("invalid_instance", a.json().get("error").asText());
            assertTrue(a.json().get("message").asText().startsWith("'name' is not a valid instance name"),
                    a.body());
        }
        AdminHttp.Answer delete = ADMIN.delete("/admin/instances/bad%20name");
        assertEquals(422, delete.status());
        assertEquals("invalid_instance", delete.json().get("error").asText());
        assertEquals(before, set().readAll());
    }

    @Test
    void everyInstancesCallNeedsTheAdminToken() {
        for (AdminHttp caller : List.of(AdminHttp.as(null), AdminHttp.as("wrong"))) {
            assertEquals(401, caller.get("/admin/instances").status());
            assertEquals(401, caller.post("/admin/instances", "{\"name\":\"ia-sneak\"}").status());
            assertEquals(401, caller.delete("/admin/instances/ia-seed-a").status());
        }
        assertFalse(set().contains("ia-sneak"));
        assertTrue(set().contains("ia-seed-a"));
    }

    private static RSet<String> set() {
        return APP.redis().getSet("wa:instances", StringCodec.INSTANCE);
    }

    private static org.redisson.api.RStream<String, String> stream(String key) {
        return APP.redis().getStream(key, StringCodec.INSTANCE);
    }

    private static void assertUnknownToTheWebhook(String instance) {
        HttpResponse<String> res = postWebhook(instance);
        assertEquals(422, res.statusCode(), res.body());
        assertEquals("unknown_instance", read(res.body()).path("error").asText());
    }

    private static JsonNode webhook(String instance) {
        return read(postWebhook(instance).body());
    }

    /** A patient's text for {@code instance}, shaped like fixture 01, with a fresh key.id. */
    private static HttpResponse<String> postWebhook(String instance) {
        ObjectNode body;
        try (InputStream in = InstancesAdminTest.class.getResourceAsStream("/fixtures/evolution/01-text-conversation.json")) {
            body = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.put("instance", instance);
        ((ObjectNode) body.path("data").path("key")).put("id", "IA" + UUID.randomUUID().toString().replace("-", ""));
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.port() + "/webhooks/evolution"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
    }

    private static String metrics() {
        return management("/observe/metrics");
    }

    private static String management(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + System.getProperty("MANAGEMENT_PORT")
                + path)).GET().build()).body();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
