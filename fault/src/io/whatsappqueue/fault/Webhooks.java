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
 * POSTed to /webhooks/evolution at a steady rate, each with a unique key.id, its own chat (number
 * {@code 4477009NNNNN}) and a current messageTimestamp, round-robin over the given instances. Remembers every
 * answer and, for accepted ones ("accepted" = 2xx with {"status":"accepted"}), the answer's latency.
 */
final class Webhooks {
    /** One posted event: where it went and the chat number its reply must be sent to. */
    record Event(String keyId, String instance, String number) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** key.id of every event answered 2xx accepted, with the time of the answer. */
    final Map<String, Long> accepted = new ConcurrentHashMap<>();
    /** How each request ended: status code, or the exception's class. */
    final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    final List<Long> acceptedTimes = new CopyOnWriteArrayList<>();
    /** Every event posted, by key.id. */
    final Map<String, Event> events = new ConcurrentHashMap<>();
    /** Milliseconds from POST to an accepted answer, with the time the POST was made (epoch ms). */
    final List<long[]> acceptedLatencies = new CopyOnWriteArrayList<>();
    private final List<String> instances;
    private volatile boolean running = true;

    private final int firstNumber;

    Webhooks(String instance) {
        this(List.of(instance), 0);
    }

    /** Events numbered from {@code firstNumber} + 1 (two loads on one Redis need disjoint numbers and key.ids). */
    Webhooks(List<String> instances, int firstNumber) {
        this.instances = List.copyOf(instances);
        this.firstNumber = firstNumber;
    }

    /** POSTs {@code perSecond} events a second to {@code port} until {@link #stop()}, then waits 3 s for answers. */
    void run(int port, int perSecond) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        long start = System.currentTimeMillis();
        int[] n = {firstNumber};
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

    /** The {@code pct} percentile (nearest rank) of accepted answers' latency, ms, over POSTs made in [from, to). */
    long latencyPercentile(double pct, long fromMs, long toMs) {
        long[] ms = acceptedLatencies.stream().filter(l -> l[1] >= fromMs && l[1] < toMs).mapToLong(l -> l[0]).sorted().toArray();
        return ms.length == 0 ? -1 : ms[Math.max(0, (int) Math.ceil(pct / 100 * ms.length) - 1)];
    }

    private void post(int port, String keyId, int n) {
        String instance = instances.get(n % instances.size());
        String number = String.format("4477009%05d", n);
        events.put(keyId, new Event(keyId, instance, number));
        ObjectNode body = JSON.createObjectNode();
        body.put("event", "messages.upsert");
        body.put("instance", instance);
        ObjectNode data = body.putObject("data");
        ObjectNode key = data.putObject("key");
        key.put("remoteJid", number + "@s.whatsapp.net");
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
        long sentAt = System.currentTimeMillis();
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
                acceptedLatencies.add(new long[] {now - sentAt, sentAt});
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
