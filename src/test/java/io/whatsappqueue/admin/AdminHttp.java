package io.whatsappqueue.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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

    private final String headerName;
    private final String headerValue;

    private AdminHttp(String headerName, String headerValue) {
        this.headerName = headerName;
        this.headerValue = headerValue;
    }

    /** With {@code Authorization: Bearer <token>}; null token: no header. */
    public static AdminHttp as(String token) {
        return token == null ? new AdminHttp(null, null) : new AdminHttp("Authorization", "Bearer " + token);
    }

    public static AdminHttp withHeader(String name, String value) {
        return new AdminHttp(name, value);
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
        if (headerName != null) {
            b.header(headerName, headerValue);
        }
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
