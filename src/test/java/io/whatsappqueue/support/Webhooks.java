package io.whatsappqueue.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Evolution's side of the webhook for tests that drive the app from outside: a patient's text as Evolution
 * posts it ({@code messages.upsert}, from fixture 01, sent now) and the POST itself.
 */
public final class Webhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Webhooks() {
    }

    /** A 1:1 text from {@code number} (digits) to {@code instance}, with Evolution's message id {@code keyId}. */
    public static String textMessage(String instance, String keyId, String number, String text) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(Files.readAllBytes(
                    Path.of("src/test/resources/fixtures/evolution/01-text-conversation.json")));
            body.put("instance", instance);
            ObjectNode data = (ObjectNode) body.path("data");
            ObjectNode key = (ObjectNode) data.path("key");
            key.put("id", keyId);
            key.put("remoteJid", number + "@s.whatsapp.net");
            key.remove("remoteJidAlt");
            ((ObjectNode) data.path("message")).put("conversation", text);
            data.put("messageTimestamp", System.currentTimeMillis() / 1000);
            return body.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Evolution's {@code messages.update} of one of our sends (fixture 31): {@code keyId} now has {@code status}. */
    public static String deliveryUpdate(String instance, String keyId, String status) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(Files.readAllBytes(
                    Path.of("src/test/resources/fixtures/evolution/31-messages-update-delivery-ack.json")));
            body.put("instance", instance);
            ObjectNode data = (ObjectNode) body.path("data");
            data.put("keyId", keyId);
            data.put("status", status);
            return body.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs {@code body} to {@code /webhooks/evolution} on {@code port}; an unreachable app is an IOException. */
    public static HttpResponse<String> post(int port, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/evolution"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
