package io.whatsappqueue.inbound;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestApp;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * One inbound test class's world on top of {@link TestApp}: a web process serving one instance of the class's
 * own, WireMock standing in for Evolution and for the OpenAI-compatible AI server, and helpers to post
 * webhooks and read what was queued. Register it as the class's extension:
 * {@code @RegisterExtension static final InboundTestEnv env = InboundTestEnv.withAi("acme-x", Map.of());}
 */
final class InboundTestEnv implements BeforeAllCallback {
    /** The instance named in the Evolution fixtures; {@link #fixture} rewrites it to the class's instance. */
    static final String FIXTURE_INSTANCE = "acme-support";
    static final String TOKEN = "E3A1C9F2-6B4D-4F0E-8A7C-2D5B9E1F3C60";
    static final ObjectMapper JSON = new ObjectMapper();

    final String instance;
    final TestApp app;
    final RedissonClient redis;
    final WireMockServer wiremock;
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private InboundTestEnv(String instance, Map<String, String> overrides, boolean withAi) {
        this.instance = instance;
        app = TestApp.web(instance).withEvolution();
        wiremock = app.evolution().server();
        redis = app.redis();
        port = app.port();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WEBHOOK_TOKEN", TOKEN);
        env.put("WA_MAX_MESSAGE_AGE_S", "0");
        env.put("ADMIN_TOKEN", null);
        env.put("WA_STREAM_BLOCK_MS", "500");
        env.put("WA_BASE_BACKOFF", "0.2");
        env.put("WA_MAX_BACKOFF", "1");
        env.put("WA_TYPING_DELAY_MS", "500");
        if (withAi) {
            env.put("AI_BASE_URL", "http://127.0.0.1:" + wiremock.port() + "/v1");
            env.put("AI_API_KEY", "sk-test");
            env.put("AI_TIMEOUT_MS", "3000");
        }
        env.putAll(overrides);
        app.with(env);
    }

    /** The class's world with the AI server at WireMock's /v1, serving {@code instance}. */
    static InboundTestEnv withAi(String instance, Map<String, String> overrides) {
        return new InboundTestEnv(instance, overrides, true);
    }

    /** Without AI_BASE_URL: the built-in knowledge responder answers. */
    static InboundTestEnv withoutAi(String instance, Map<String, String> overrides) {
        return new InboundTestEnv(instance, overrides, false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        app.beforeAll(context);
        stubEvolution();
    }

    /** Typing indicator accepted; the AI answers with a fixed text unless a test stubs otherwise. */
    void stubEvolution() {
        wiremock.resetAll();
        wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathMatching("/chat/sendPresence/.*"))
                .willReturn(aResponse().withStatus(201).withBody("{\"presence\":\"composing\"}")));
        stubAi(aiAnswer("Thanks for your message, we will help you."));
    }

    void stubAi(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v1/chat/completions")).willReturn(response));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder aiAnswer(String text) {
        ObjectNode res = JSON.createObjectNode();
        res.put("id", "chatcmpl-test");
        res.put("object", "chat.completion");
        res.put("created", 1761056400);
        res.put("model", "gpt-4o-mini");
        ObjectNode choice = res.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", "stop");
        res.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 10).put("total_tokens", 20);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(res.toString());
    }

    /** The last user message of every AI request so far. */
    List<String> aiUserMessages() {
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : wiremock.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))) {
            JsonNode messages = read(r.getBodyAsString()).path("messages");
            out.add(messages.get(messages.size() - 1).path("content").asText());
        }
        return out;
    }

    int aiCalls() {
        return wiremock.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).size();
    }

    List<JsonNode> aiRequests() {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : wiremock.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))) {
            out.add(read(r.getBodyAsString()));
        }
        return out;
    }

    /** POST to the webhook with the X-Webhook-Token header. */
    HttpResponse<String> postWebhook(byte[] body) {
        return post("/webhooks/evolution", body, Map.of("X-Webhook-Token", TOKEN));
    }

    /** POST to the webhook of another process of this class's deployment, listening on {@code otherPort}. */
    HttpResponse<String> postWebhook(int otherPort, byte[] body) {
        return post(otherPort, "/webhooks/evolution", body, Map.of("X-Webhook-Token", TOKEN));
    }

    HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) {
        return post(port, path, body, headers);
    }

    private HttpResponse<String> post(int toPort, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + toPort + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The payloads of the instance's send stream, oldest first. */
    List<JsonNode> sendQueue() {
        List<JsonNode> out = new ArrayList<>();
        Map<StreamMessageId, Map<String, String>> entries = redis.<String, String>getStream(
                Keys.sendStream(instance), StringCodec.INSTANCE).range(StreamMessageId.MIN, StreamMessageId.MAX);
        entries.values().forEach(f -> out.add(read(f.get("payload"))));
        return out;
    }

    /** The replies queued for one inbound key.id, in part order. */
    List<JsonNode> repliesTo(String keyId) {
        return sendQueue().stream().filter(p -> keyId.equals(p.path("metadata").path("in_reply_to").asText()))
                .sorted((a, b) -> Integer.compare(a.path("metadata").path("part").asInt(),
                        b.path("metadata").path("part").asInt()))
                .toList();
    }

    long inboundBacklog() {
        return redis.getStream(Keys.inboundStream(instance), StringCodec.INSTANCE).size();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture as Evolution would post it for this class's instance. */
    byte[] fixture(String name) {
        return new String(resource(name), StandardCharsets.UTF_8)
                .replace("\"" + FIXTURE_INSTANCE + "\"", "\"" + instance + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** A fixture file's bytes as stored. */
    static byte[] resource(String name) {
        String resource = "/fixtures/evolution/" + name;
        try (InputStream in = InboundTestEnv.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode fixtureTree(String name) {
        return (ObjectNode) read(new String(fixture(name), StandardCharsets.UTF_8));
    }

    /** A text message from {@code number} with a fresh key.id, shaped like fixture 01. */
    ObjectNode textMessage(String keyId, String number, String text) {
        ObjectNode body = fixtureTree("01-text-conversation.json");
        ObjectNode key = (ObjectNode) body.path("data").path("key");
        key.put("id", keyId);
        key.put("remoteJid", number + "@s.whatsapp.net");
        key.remove("remoteJidAlt");
        ((ObjectNode) body.path("data").path("message")).put("conversation", text);
        return body;
    }

    /** Posts a text from {@code number} with a fresh key.id, checks the 200, and answers the key.id. */
    String postText(String number, String text) {
        String keyId = java.util.UUID.randomUUID().toString().replace("-", "").toUpperCase();
        HttpResponse<String> answer = postWebhook(bytes(textMessage(keyId, number, text)));
        if (answer.statusCode() != 200) {
            throw new AssertionError("webhook answered " + answer.statusCode() + ": " + answer.body());
        }
        return keyId;
    }

    /** The system prompt of every AI request so far. */
    List<String> aiSystemPrompts() {
        return aiRequests().stream().map(r -> r.path("messages").get(0).path("content").asText()).toList();
    }

    static byte[] bytes(JsonNode tree) {
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }
}
