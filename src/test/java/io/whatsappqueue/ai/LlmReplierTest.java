package io.whatsappqueue.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.langchain4j.exception.TimeoutException;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LlmReplier} against WireMock standing in for an OpenAI-compatible server. */
class LlmReplierTest {

    private static final String COMPLETIONS = "/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClinicKnowledge CLINIC = new ClinicKnowledgeLoader().load(null);

    private WireMockServer ai;

    @BeforeEach
    void startAi() {
        ai = new WireMockServer(options().dynamicPort());
        ai.start();
    }

    @AfterEach
    void stopAi() {
        ai.stop();
    }

    @Test
    void requestCarriesSystemPromptHistoryAndUserTextAndReplyIsReturned() throws Exception {
        ai.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(okJson(completion("We open at 08:00 on Monday."))));
        List<ChatTurn> history = List.of(
                ChatTurn.user("Hi, do you see children?"),
                ChatTurn.assistant("Yes, we see patients of all ages."),
                ChatTurn.user("Great."));

        String reply = replier(Duration.ofSeconds(5)).reply(CLINIC, history, "When do you open on Monday?");

        assertEquals("We open at 08:00 on Monday.", reply);
        List<LoggedRequest> requests = ai.findAll(postRequestedFor(urlEqualTo(COMPLETIONS)));
        assertEquals(1, requests.size());
        JsonNode body = JSON.readTree(requests.get(0).getBodyAsString());
        assertEquals("test-model", body.get("model").asText());
        JsonNode messages = body.get("messages");
        assertEquals(5, messages.size());
        assertEquals("system", messages.get(0).get("role").asText());
        String systemPrompt = messages.get(0).get("content").asText();
        assertTrue(systemPrompt.contains("Riverside Family Clinic"), systemPrompt);
        assertTrue(systemPrompt.contains("Blood test: £45"), "prices come from the file");
        assertMessage(messages.get(1), "user", "Hi, do you see children?");
        assertMessage(messages.get(2), "assistant", "Yes, we see patients of all ages.");
        assertMessage(messages.get(3), "user", "Great.");
        assertMessage(messages.get(4), "user", "When do you open on Monday?");
        assertEquals("Bearer " + LlmReplier.PLACEHOLDER_API_KEY, requests.get(0).getHeader("Authorization"),
                "a blank key (Ollama, vLLM) is replaced by a placeholder");
    }

    @Test
    void configuredApiKeyIsSentAsBearerToken() {
        ai.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(okJson(completion("Hello!"))));

        new LlmReplier(baseUrl(), "sk-test", "test-model", Duration.ofSeconds(5)).reply(CLINIC, List.of(), "hi");

        ai.verify(postRequestedFor(urlEqualTo(COMPLETIONS)).withHeader("Authorization",
                equalTo("Bearer sk-test")));
    }

    @Test
    void responseSlowerThanTheTimeoutThrowsWithoutRetrying() {
        ai.stubFor(post(urlEqualTo(COMPLETIONS))
                .willReturn(okJson(completion("Too late.")).withFixedDelay(3_000)));
        LlmReplier replier = replier(Duration.ofMillis(300));

        long started = System.nanoTime();
        assertThrows(TimeoutException.class, () -> replier.reply(CLINIC, List.of(), "Are you open today?"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertTrue(tookMs < 2_500, "gave up after the timeout, not the server's delay: " + tookMs + " ms");
        ai.verify(1, postRequestedFor(urlEqualTo(COMPLETIONS)));
    }

    @Test
    void serverErrorThrowsWithoutRetrying() {
        ai.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(aResponse().withStatus(500).withBody("{\"error\":\"boom\"}")));

        assertThrows(RuntimeException.class, () -> replier(Duration.ofSeconds(5)).reply(CLINIC, List.of(), "hello?"));

        ai.verify(1, postRequestedFor(urlEqualTo(COMPLETIONS)));
    }

    @Test
    void emptyModelReplyThrowsSoTheCallerSendsTheFallback() {
        ai.stubFor(post(urlEqualTo(COMPLETIONS)).willReturn(okJson(completion("  "))));

        assertThrows(IllegalStateException.class, () -> replier(Duration.ofSeconds(5)).reply(CLINIC, List.of(), "hello?"));
    }

    private LlmReplier replier(Duration timeout) {
        return new LlmReplier(baseUrl(), "", "test-model", timeout);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + ai.port() + "/v1";
    }

    private static void assertMessage(JsonNode message, String role, String content) {
        assertEquals(role, message.get("role").asText());
        assertEquals(content, message.get("content").asText());
    }

    private static String completion(String content) {
        return JSON.createObjectNode()
                .put("id", "chatcmpl-test")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L)
                .put("model", "test-model")
                .set("choices", JSON.createArrayNode().add(JSON.createObjectNode()
                        .put("index", 0)
                        .put("finish_reason", "stop")
                        .set("message", JSON.createObjectNode().put("role", "assistant").put("content", content))))
                .toString();
    }
}
