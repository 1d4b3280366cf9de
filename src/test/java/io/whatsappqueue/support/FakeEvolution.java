package io.whatsappqueue.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** WireMock playing Evolution API: sendText and connectionState, with what it received. */
public final class FakeEvolution {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WireMockServer server;

    public FakeEvolution() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(64).asynchronousResponseEnabled(true).asynchronousResponseThreads(32));
        server.start();
        acceptAll();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public WireMockServer server() {
        return server;
    }

    public void stop() {
        server.stop();
    }

    /** Evolution 2.3 happy path: 201 with the sent message's key. */
    public void acceptAll() {
        server.resetAll();
        server.stubFor(sendText().willReturn(created()));
        connectionState("open");
    }

    public void connectionState(String state) {
        server.stubFor(get(urlPathMatching("/instance/connectionState/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"instance\":{\"instanceName\":\"x\",\"state\":\"" + state + "\"}}")));
    }

    public static MappingBuilder sendText() {
        return post(urlPathMatching("/message/sendText/.*"));
    }

    public static MappingBuilder sendTextTo(String number) {
        return sendText().withRequestBody(matchingJsonPath("$.number", com.github.tomakehurst.wiremock.client.WireMock.equalTo(number)));
    }

    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"key\":{\"remoteJid\":\"x@s.whatsapp.net\",\"fromMe\":true,\"id\":\"3EB0"
                        + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase()
                        + "\"},\"status\":\"PENDING\"}");
    }

    public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String messageJson) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":" + status + ",\"error\":\"Bad Request\",\"response\":{\"message\":" + messageJson + "}}");
    }

    /** Every sendText request, oldest first. */
    public List<LoggedRequest> sends() {
        List<LoggedRequest> all = new java.util.ArrayList<>(server.findAll(postRequestedFor(urlPathMatching("/message/sendText/.*"))));
        all.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        return all;
    }

    public List<JsonNode> sentBodies() {
        return sends().stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** A request body as JSON. */
    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends to {@code number}: the same {@code number} field, or the JID of those digits ({@code <digits>@…}). */
    public long sendsTo(String number) {
        return sentBodies().stream().map(b -> b.path("number").asText())
                .filter(n -> n.equals(number) || n.startsWith(number + "@")).count();
    }
}
