package io.whatsappqueue.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A patient's WhatsApp text as Evolution posts it (fixture 01, {@code messages.upsert}) for the round trip
 * webhook → reply → send: each call has a fresh key id, so it is a new message and not a duplicate.
 */
public final class PatientTexts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PatientTexts() {
    }

    /** Posts "What are your opening hours on Saturday?" from {@code number} to {@code app}'s webhook; the answer. */
    public static HttpResponse<String> post(TestApp app, String instance, String number) {
        ObjectNode body;
        try (InputStream in = PatientTexts.class.getResourceAsStream("/fixtures/evolution/01-text-conversation.json")) {
            body = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.put("instance", instance);
        ObjectNode key = (ObjectNode) body.path("data").path("key");
        key.put("id", "PT" + UUID.randomUUID().toString().replace("-", "").toUpperCase());
        key.put("remoteJid", number + "@s.whatsapp.net");
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(app.url("/webhooks/evolution")))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many replies the app's {@link FakeEvolution} was asked to send to {@code number} (bare or as a JID). */
    public static long answers(TestApp app, String number) {
        return app.evolution().sentBodies().stream()
                .filter(b -> b.path("number").asText().replaceFirst("@.*", "").equals(number)).count();
    }
}
