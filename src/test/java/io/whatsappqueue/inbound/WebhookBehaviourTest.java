package io.whatsappqueue.inbound;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import org.redisson.client.codec.StringCodec;

import static io.whatsappqueue.inbound.InboundTestEnv.TOKEN;
import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook's contract of DESIGN §4: paths, both credentials, status codes and JSON bodies, limits, garbage. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(configurationClasses = AppConfiguration.class)
class WebhookBehaviourTest {
    private static final int MAX_BODY = 65_536;
    private static final String INSTANCE = "acme-webhook";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of("WA_WEBHOOK_MAX_BODY_BYTES", String.valueOf(MAX_BODY)));

    @Test
    void previousSystemAndByEventsPathsAreAllAccepted() {
        for (String path : List.of("/webhooks/evolution", "/webhooks/evolution/" + INSTANCE,
                "/webhooks/evolution/messages-upsert", "/webhooks/evolution/" + INSTANCE + "/messages-upsert",
                "/webhooks/evolution//messages-upsert")) {
            String keyId = newKeyId();
            HttpResponse<String> res = env.post(path, bytes(env.textMessage(keyId, "447700900201", "What are your hours?")),
                    Map.of("X-Webhook-Token", TOKEN));
            assertEquals(200, res.statusCode(), path + " " + res.body());
            assertEquals("{\"status\":\"accepted\"}", res.body(), path);
        }
    }

    @Test
    void otherPathsAndMethodsGetJsonErrors() {
        byte[] body = bytes(env.textMessage(newKeyId(), "447700900202", "hello?"));
        for (String path : List.of("/webhooks/evolution/a/b/c", "/webhooks/evolutionx",
                "/webhooks/evolution/%7Bbad%7D")) {
            HttpResponse<String> res = env.post(path, body, Map.of("X-Webhook-Token", TOKEN));
            assertError(res, 404, "not_found");
        }
        HttpResponse<String> get = env.send(HttpRequest.newBuilder(URI.create(url("/webhooks/evolution"))).GET().build());
        assertError(get, 405, "method_not_allowed");
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void staticTokenHeaderAndEvolutionJwtAreBothAccepted() {
        assertEquals(200, env.post("/webhooks/evolution", message(), Map.of("X-Webhook-Token", TOKEN)).statusCode());
        assertEquals(200, env.post("/webhooks/evolution", message(),
                Map.of("Authorization", "Bearer " + jwt(TOKEN, Instant.now(), Instant.now().plusSeconds(600))))
                .statusCode());
    }

    @Test
    void theAnswerCarriesNoRequestHeaderBack() {
        HttpResponse<String> res = env.post("/webhooks/evolution", message(),
                Map.of("X-Webhook-Token", TOKEN, "X-Clinic-Trace", "abc123"));
        assertEquals(200, res.statusCode(), res.body());
        assertThat(res.body()).contains("accepted");
        assertEquals("application/json", res.headers().firstValue("Content-Type").orElse(""));
        assertThat(res.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Webhook-Token")
                || h.equalsIgnoreCase("X-Clinic-Trace"));
        assertThat(res.headers().map().values().toString()).doesNotContain(TOKEN).doesNotContain("abc123");
    }

    @Test
    void missingOrWrongCredentialsAre401WithoutQueuingAnything() {
        long before = queuedEvents();
        Instant now = Instant.now();
        List<Map<String, String>> bad = List.of(
                Map.of(),
                Map.of("X-Webhook-Token", "wrong"),
                Map.of("X-Webhook-Token", TOKEN.toLowerCase()),
                Map.of("Authorization", "Bearer " + jwt("another-secret", now, now.plusSeconds(600))),
                Map.of("Authorization", "Bearer " + jwt(TOKEN, now.minusSeconds(1200), now.minusSeconds(600))),
                Map.of("Authorization", "Bearer not.a.jwt"),
                Map.of("Authorization", "Basic " + TOKEN),
                Map.of("Authorization", "Bearer " + JWT.create().withExpiresAt(now.plusSeconds(600))
                        .sign(Algorithm.none())));
        for (Map<String, String> headers : bad) {
            HttpResponse<String> res = env.post("/webhooks/evolution", message(), headers);
            assertError(res, 401, "unauthorized");
            assertFalse(res.body().contains(TOKEN), "the answer never echoes a secret");
        }
        assertEquals(before, queuedEvents(), "nothing reached Redis");
        // the same message with the right token is counted: the check above looks where the product writes
        assertEquals("accepted", read(env.postWebhook(message()).body()).path("status").asText());
        assertEquals(before + 1, queuedEvents());
    }

    @Test
    void bodyOverTheLimitIs422NamingTheVariableNever413() {
        ObjectNode big = env.textMessage(newKeyId(), "447700900203", "x".repeat(MAX_BODY + 10));
        HttpResponse<String> res = env.postWebhook(bytes(big));
        assertError(res, 422, "payload_too_large");
        assertTrue(read(res.body()).path("message").asText().contains(String.valueOf(MAX_BODY)));
        assertTrue(read(res.body()).path("message").asText().contains("WA_WEBHOOK_MAX_BODY_BYTES"));
        // the server is still there
        assertEquals(200, env.postWebhook(message()).statusCode());
    }

    @Test
    void theSameMessageDeliveredConcurrentlyIsAcceptedOnceAndRepliedOnce() throws Exception {
        String keyId = newKeyId();
        byte[] body = bytes(env.textMessage(keyId, "447700900204", "Do you do blood tests?"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(pool.submit(() -> env.postWebhook(body)));
        }
        int accepted = 0;
        int duplicates = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> res = f.get();
            assertEquals(200, res.statusCode(), res.body());
            String status = read(res.body()).path("status").asText();
            accepted += "accepted".equals(status) ? 1 : 0;
            duplicates += "duplicate".equals(status) ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, accepted);
        assertEquals(15, duplicates);
        await().atMost(Duration.ofSeconds(20)).until(() -> env.repliesTo(keyId).size() == 1);
        assertEquals(1, env.repliesTo(keyId).size());
    }

    @Test
    void garbageOfAnyKindGetsA4xxAndTheServerStaysUp() {
        List<byte[]> corpus = new ArrayList<>();
        for (String s : List.of("", " ", "null", "[]", "{}", "\"x\"", "{\"event\":", "\ufeff{}", "{\"event\":\"messages.upsert\"}",
                "{\"event\":\"messages.upsert\",\"instance\":\"" + INSTANCE + "\",\"data\":[]}",
                "{\"event\":\"messages.upsert\",\"instance\":\"" + INSTANCE + "\",\"data\":{\"key\":{}}}",
                "{\"event\":\"messages.upsert\",\"instance\":\"../../etc\",\"data\":{}}",
                "{\"event\":\"messages.upsert\",\"instance\":\"" + INSTANCE + "\\n\",\"data\":{}}",
                "{\"event\":1,\"instance\":2,\"data\":3}", "<xml/>", "a=b&c=d")) {
            corpus.add(s.getBytes(StandardCharsets.UTF_8));
        }
        corpus.add(("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        Random random = new Random(4711);
        byte[] original = env.fixture("01-text-conversation.json");
        for (int i = 0; i < 150; i++) {
            byte[] randomBytes = new byte[random.nextInt(4096)];
            random.nextBytes(randomBytes);
            corpus.add(randomBytes);
            byte[] mutated = original.clone();
            for (int flips = 1 + random.nextInt(6); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            corpus.add(mutated);
            corpus.add(java.util.Arrays.copyOf(original, random.nextInt(original.length)));
        }
        for (byte[] body : corpus) {
            for (String contentType : List.of("application/json", "text/plain")) {
                HttpResponse<String> res = env.post("/webhooks/evolution", body,
                        Map.of("X-Webhook-Token", TOKEN, "Content-Type", contentType));
                assertTrue(res.statusCode() < 500, res.statusCode() + " for " + preview(body));
                JsonNode answer = read(res.body());
                assertTrue(answer.has("status") || answer.has("error"), res.body());
            }
        }
        assertEquals(200, env.postWebhook(message()).statusCode(), "still serving");
    }

    @Test
    void rejectedInstanceNamesNeverReachARedisKey() {
        for (String name : List.of("ghost-instance", INSTANCE.replace('-', ' '), INSTANCE + ":x", "{acme}", INSTANCE.toUpperCase(), "a".repeat(65))) {
            ObjectNode body = env.textMessage(newKeyId(), "447700900205", "hi there, question");
            body.put("instance", name);
            HttpResponse<String> res = env.postWebhook(bytes(body));
            assertEquals(422, res.statusCode(), name);
        }
        for (String key : env.redis.getKeys().getKeys()) {
            assertTrue(key.startsWith("wa:" + INSTANCE + ":") || key.startsWith("wa:msg:") || key.equals("wa:instances") || key.equals("wa:probe"),
                    key);
        }
        assertEquals(java.util.Set.of(INSTANCE), env.redis.getSet("wa:instances", StringCodec.INSTANCE).readAll(),
                "the served set holds only the served instance");
    }

    @Test
    void redisRefusingTheWriteIs503AndLeavesNoMarkerSoTheRetryIsAccepted() {
        String keyId = newKeyId();
        byte[] body = bytes(env.textMessage(keyId, "447700900206", "Can I book a physio session?"));
        var config = env.redis.getRedisNodes(org.redisson.api.redisnode.RedisNodes.SINGLE).getInstance();
        config.setConfig("maxmemory-policy", "noeviction");
        config.setConfig("maxmemory", "1");
        HttpResponse<String> res;
        try {
            res = env.postWebhook(body);
        } finally {
            config.setConfig("maxmemory", "0");
        }
        assertError(res, 503, "unavailable");
        assertFalse(env.redis.getBucket(Keys.inboundDedupe(INSTANCE, keyId), StringCodec.INSTANCE).isExists(),
                "a failed request leaves no de-duplication marker");
        HttpResponse<String> retry = env.postWebhook(body);
        assertEquals("{\"status\":\"accepted\"}", retry.body());
        assertTrue(env.redis.getBucket(Keys.inboundDedupe(INSTANCE, keyId), StringCodec.INSTANCE).isExists(),
                "the accepted retry leaves the marker the check above looked for");
        await().atMost(Duration.ofSeconds(20)).until(() -> env.repliesTo(keyId).size() == 1);
    }

    @Test
    void outcomesAreCountedInPrometheusMetrics() {
        env.postWebhook(message());
        env.post("/webhooks/evolution", message(), Map.of());
        HttpResponse<String> metrics = env.send(HttpRequest.newBuilder(URI.create(env.app.managementUrl("/observe/metrics"))).GET().build());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("wa_webhook_events_total{instance=\"" + INSTANCE + "\",outcome=\"accepted\"}"),
                metrics.body());
        assertTrue(metrics.body().contains("outcome=\"unauthorized\""));
    }

    private static long queuedEvents() {
        return env.redis.getStream("wa:" + INSTANCE + ":inbound", StringCodec.INSTANCE).isExists()
                ? env.redis.getKeys().getKeysStreamByPattern("wa:" + INSTANCE + ":dedupe:*").count() : 0;
    }

    private static byte[] message() {
        return bytes(env.textMessage(newKeyId(), "447700900200", "Is the clinic open on Sunday?"));
    }

    private static String newKeyId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }

    private static String jwt(String secret, Instant issued, Instant expires) {
        return JWT.create().withIssuedAt(issued).withExpiresAt(expires).withClaim("app", "evolution")
                .withClaim("action", "webhook").sign(Algorithm.HMAC256(secret));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + env.port + path;
    }

    private static void assertError(HttpResponse<String> res, int status, String code) {
        assertEquals(status, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), res.headers().toString());
        JsonNode body = read(res.body());
        assertEquals(code, body.path("error").asText(), res.body());
        assertFalse(body.path("message").asText().isBlank(), res.body());
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 80), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
