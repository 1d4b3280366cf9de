package io.whatsappqueue.inbound;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offline, with no Evolution and no AI configured: a patient's question posted to /sandbox/inbound goes through
 * the real webhook, the reply route (built-in knowledge responder) and the send route, and the answer shows up
 * in /sandbox/outbox.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class SandboxRoundTripTest {
    private static final String INSTANCE = "acme-sandbox";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withoutAi(INSTANCE, settings());

    @Test
    void questionPostedToTheSandboxIsAnsweredFromTheKnowledgeFileAndSent() {
        HttpResponse<String> res = env.post("/sandbox/inbound", json(
                "{\"instance\":\"" + INSTANCE + "\",\"from\":\"+44 7700 900123\",\"text\":\"What are your opening hours?\"}"), Map.of());
        assertEquals(200, res.statusCode(), res.body());
        JsonNode answer = read(res.body());
        assertEquals(200, answer.path("webhook_status").asInt(), res.body());
        assertEquals("accepted", answer.path("webhook").path("status").asText(), res.body());

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox().path("count").asInt() >= 1);
        JsonNode sent = outbox().path("sent").get(0);
        assertEquals("447700900123@s.whatsapp.net", sent.path("to").asText());
        assertTrue(sent.path("text").asText().contains("Our opening hours"), sent.toString());
        assertTrue(sent.path("text").asText().contains("Saturday: 09:00–13:00"), sent.toString());
    }

    @Test
    void badSandboxRequestIs400() {
        HttpResponse<String> res = env.post("/sandbox/inbound", json("{\"from\":\"hello\",\"text\":\"hi\"}"), Map.of());
        assertEquals(400, res.statusCode());
        assertEquals("invalid_request", read(res.body()).path("error").asText());
    }

    private static JsonNode outbox() {
        HttpResponse<String> res = env.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.port
                + "/sandbox/outbox")).GET().build());
        return read(res.body());
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> settings() {
        Map<String, String> sandbox = new HashMap<>();
        sandbox.put("EVOLUTION_SERVER_URL", null);
        sandbox.put("WA_ROLE", "all");
        sandbox.put("WA_SEND_DELAY_MS", "0");
        return sandbox;
    }
}
