package io.whatsappqueue.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Webhook load like Evolution's: messages.upsert events (the shape of fixtures/evolution/01-text-conversation.json)
 * POSTed to /webhooks/evolution at a steady rate, each with a unique key.id, its own chat and a current
 * messageTimestamp. Remembers every answer; "accepted" = 2xx with {"status":"accepted"}.
 */
final class Webhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** key.id of every event answered 2xx accepted, with the time of the answer. */
    final Map<String, Long> accepted = new ConcurrentHashMap<>();
    /** How each request ended: status code, or the exception's class. */
    final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    final List<Long> acceptedTimes = new CopyOnWriteArrayList<>();
    private final String instance;
    private volatile boolean running = true;

    Webhooks(String instance) {
        this.instance = instance;
    }

    /** POSTs {@code perSecond} events a second to {@code port} until {@link #stop()}, then waits 3 s for answers. */
    void run(int port, int perSecond) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long start = System.currentTimeMillis();
        int[] n = {0};
        timer.scheduleAtFixedRate(() -> post(port, String.format("FAULT%012d%06d", start, ++n[0]), n[0]),
                0, 1_000_000L / perSecond, TimeUnit.MICROSECONDS);
        while (running) {
            StandIn.sleep(50);
        }
        timer.shutdown();
        StandIn.sleep(3000);
    }

    void stop() {
        running = false;
    }

    private void post(int port, String keyId, int n) {
        ObjectNode body = JSON.createObjectNode();
        body.put("event", "messages.upsert");
        body.put("instance", instance);
        ObjectNode data = body.putObject("data");
        ObjectNode key = data.putObject("key");
        key.put("remoteJid", String.format("4477009%05d@s.whatsapp.net", n));
        key.put("fromMe", false);
        key.put("id", keyId);
        data.put("pushName", "Fault Suite");
        data.putObject("message").put("conversation", "Hi! What are your opening hours on Saturday?");
        data.put("messageType", "conversation");
        data.put("messageTimestamp", System.currentTimeMillis() / 1000);
        data.put("source", "android");
        body.put("sender", "447700900001@s.whatsapp.net");
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/evolution"))
                .timeout(Duration.ofSeconds(3)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((res, err) -> {
            if (err != null) {
                outcomes.merge(err.getClass().getSimpleName(), 1, Integer::sum);
                return;
            }
            outcomes.merge("HTTP " + res.statusCode(), 1, Integer::sum);
            if (res.statusCode() / 100 == 2 && "accepted".equals(status(res.body()))) {
                long now = System.currentTimeMillis();
                accepted.put(keyId, now);
                acceptedTimes.add(now);
            }
        });
    }

    private static String status(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.path("status").asText("");
        } catch (java.io.IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
