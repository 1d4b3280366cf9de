package io.whatsappqueue.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.support.TestApp;

/** Calls the running app ({@link TestApp#running()}) over real HTTP, as an operator's curl would. */
public final class AdminHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Answer(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final Map<String, String> headers;

    private AdminHttp(Map<String, String> headers) {
        this.headers = headers;
    }

    /** With {@code Authorization: Bearer <token>}; null token: no header. */
    public static AdminHttp as(String token) {
        return token == null ? new AdminHttp(Map.of()) : new AdminHttp(Map.of("Authorization", "Bearer " + token));
    }

    public static AdminHttp withHeader(String name, String value) {
        return new AdminHttp(Map.of(name, value));
    }

    /** With these request headers, e.g. the X-Forwarded-* a reverse proxy adds. */
    public static AdminHttp withHeaders(Map<String, String> headers) {
        return new AdminHttp(Map.copyOf(headers));
    }

    public Answer get(String pathAndQuery) {
        return send("GET", pathAndQuery, null);
    }

    public Answer post(String pathAndQuery) {
        return send("POST", pathAndQuery, null);
    }

    public Answer post(String pathAndQuery, String json) {
        return send("POST", pathAndQuery, json);
    }

    public Answer delete(String pathAndQuery) {
        return send("DELETE", pathAndQuery, null);
    }

    public Answer send(String method, String pathAndQuery, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestApp.running().url(pathAndQuery)))
                .timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new AssertionError(method + " " + pathAndQuery + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
