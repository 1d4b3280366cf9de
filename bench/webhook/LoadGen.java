import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load at a fixed rate (what wrk2 would do): requests are started on a fixed schedule whatever the
 * server's speed, and each latency is measured from the moment the request was due, so a stall shows in the
 * percentiles instead of silently lowering the rate (no coordinated omission).
 *
 * The first {@code WARMUP_S} seconds run at the same rate but are not counted (JIT of both sides).
 *
 * java LoadGen.java <url> <requests/s> <seconds> <webhook|ping> [token]
 * Prints one line: sent=… ok=… failed=… rate=… p50_ms=… p90_ms=… p99_ms=… p999_ms=… max_ms=…
 */
public class LoadGen {
    private static final int WARMUP_S = 5;
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        boolean webhook = args[3].equals("webhook");
        String token = args.length > 4 ? args[4] : "";
        int warmup = rate * WARMUP_S;
        int total = rate * (seconds + WARMUP_S);
        String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
        long[] latencies = new long[total];
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicLong next = new AtomicLong();
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;

        Runnable tick = () -> {
            long now = System.nanoTime();
            // send every request that is due by now (catches up after a scheduler hiccup, keeping the schedule)
            while (true) {
                long i = next.get();
                if (i >= total || start + i * periodNanos > now) {
                    return;
                }
                next.incrementAndGet();
                long due = start + i * periodNanos;
                HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Webhook-Token", token)
                        .POST(HttpRequest.BodyPublishers.ofString(body(webhook, run, i))).build();
                int idx = (int) i;
                client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((res, err) -> {
                    latencies[idx] = System.nanoTime() - due;
                    if (idx >= warmup) {
                        (err == null && res.statusCode() == 200 ? ok : failed).incrementAndGet();
                    }
                    done.countDown();
                });
            }
        };
        ticker.scheduleAtFixedRate(tick, 0, Math.max(100_000L, periodNanos / 2), TimeUnit.NANOSECONDS);
        done.await(seconds + 30L, TimeUnit.SECONDS);
        ticker.shutdownNow();

        long elapsed = System.nanoTime() - start - WARMUP_S * 1_000_000_000L;
        long[] sorted = Arrays.copyOfRange(latencies, warmup, (int) Math.min(total, next.get()));
        Arrays.sort(sorted);
        System.out.printf("sent=%d ok=%d failed=%d rate=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f%n",
                sorted.length, ok.get(), failed.get(), sorted.length / (elapsed / 1e9),
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), pct(sorted, 0.999),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        System.exit(0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static String body(boolean webhook, String run, long i) {
        if (!webhook) {
            return "{\"event\":\"messages.upsert\",\"instance\":\"acme-support\",\"data\":{\"pad\":\"" + "x".repeat(900) + "\"}}";
        }
        return "{\"event\":\"messages.upsert\",\"instance\":\"acme-support\",\"data\":{\"key\":{\"remoteJid\":\"4477009"
                + String.format("%05d", i % 100000) + "@s.whatsapp.net\",\"remoteJidAlt\":\"168542907331862@lid\",\"fromMe\":false,"
                + "\"id\":\"L" + run + String.format("%012d", i) + "\",\"addressingMode\":\"pn\"},\"pushName\":\"Bench Patient\","
                + "\"status\":\"DELIVERY_ACK\",\"message\":{\"conversation\":\"Hi! What are your opening hours on Saturday?\","
                + "\"messageContextInfo\":{\"deviceListMetadataVersion\":2}},\"messageType\":\"conversation\","
                + "\"messageTimestamp\":1761056400,\"instanceId\":\"7f9e2c1a-4b3d-4e8f-9a6b-1c2d3e4f5a6b\",\"source\":\"android\"},"
                + "\"destination\":\"http://web:8080/webhooks/evolution\",\"date_time\":\"2025-10-21T14:20:00.000Z\","
                + "\"sender\":\"447700900001@s.whatsapp.net\",\"server_url\":\"http://evolution:8080\",\"apikey\":null}";
    }
}
