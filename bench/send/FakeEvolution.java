// A fast local stand-in for Evolution API, for benchmarks only. Single-file source launch:
//   java bench/send/FakeEvolution.java <port> [latency-out-file]
// Binds 127.0.0.1 only. POST /message/sendText/{instance} -> 201 {"key":{"id":"3EB0..."}} at once;
// GET /instance/connectionState/{instance} -> 200 state "open"; GET /stats -> "count firstMs lastMs";
// GET /reset restarts firstMs (one measurement window per drain round).
// Latency mode: if the text contains "t=<epoch micros>", (receive time - t) in microseconds is recorded
// and all samples are written to latency-out-file (one per line) on SIGTERM / exit.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class FakeEvolution {
    static final AtomicLong COUNT = new AtomicLong();
    static final AtomicLong FIRST_MS = new AtomicLong();
    static volatile long lastMs;
    static final AtomicLong IDS = new AtomicLong();
    static final ConcurrentLinkedQueue<Long> SAMPLES = new ConcurrentLinkedQueue<>();

    static long nowMicros() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path out = args.length > 1 ? Path.of(args[1]) : null;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(Executors.newFixedThreadPool(Integer.getInteger("threads", 64)));
        server.createContext("/message/sendText/", FakeEvolution::sendText);
        server.createContext("/instance/connectionState/", ex -> reply(ex, 200,
                "{\"instance\":{\"instanceName\":\"bench\",\"state\":\"open\"}}"));
        server.createContext("/stats", ex -> reply(ex, 200, COUNT.get() + " " + FIRST_MS.get() + " " + lastMs + "\n"));
        // starts a new measurement window: the next sendText sets firstMs again
        server.createContext("/reset", ex -> {
            FIRST_MS.set(0);
            reply(ex, 200, "ok\n");
        });
        if (out != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dump(out)));
        }
        server.start();
        System.out.println("FakeEvolution listening on 127.0.0.1:" + port);
    }

    static void sendText(HttpExchange ex) throws IOException {
        long recvMicros = nowMicros();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            reply(ex, 405, "{}");
            return;
        }
        long ms = recvMicros / 1000;
        FIRST_MS.compareAndSet(0, ms);
        lastMs = ms;
        COUNT.incrementAndGet();
        int t = body.indexOf("t=");
        if (t >= 0) {
            int e = t + 2;
            while (e < body.length() && Character.isDigit(body.charAt(e))) {
                e++;
            }
            if (e > t + 2) {
                SAMPLES.add(recvMicros - Long.parseLong(body.substring(t + 2, e)));
            }
        }
        reply(ex, 201, "{\"key\":{\"remoteJid\":\"x@s.whatsapp.net\",\"fromMe\":true,\"id\":\"3EB0"
                + Long.toHexString(IDS.incrementAndGet()).toUpperCase() + "\"},\"status\":\"PENDING\"}");
    }

    static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    static void dump(Path out) {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (Long s : SAMPLES) {
                w.println(s);
            }
        } catch (IOException e) {
            System.err.println("could not write " + out + ": " + e);
        }
    }
}
