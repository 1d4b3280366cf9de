package io.whatsappqueue.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Evolution API stand-in: answers POST /message/sendText/{instance} with 201 and a PENDING message key after the
 * requested {@code delay} plus a random latency (ms, uniform in [min, max]), GET /instance/connectionState/{instance}
 * with state "open", and any other path (typing presence) with 201 {}. It records every sendText it receives, with
 * its arrival time, the time its answer was written (0 if the answer never left: the stand-in went down first) and
 * the client's TCP port. {@link #down()} closes the listener, so connections are refused, until {@link #up()}
 * listens again on the same port. With {@code failFirstAttempt} the first sendText of each message id is answered
 * 500.
 */
final class StandIn implements AutoCloseable {

    /**
     * One sendText received: {@code answerMs} when the stand-in began writing its answer (the sender cannot know the
     * outcome before), {@code doneMs} when the answer was written in full (0 while, or if never, answered). A text the
     * suite did not write (the app's own reply to a webhook) has message id "?"; its {@code number} and {@code text}
     * tell it apart.
     */
    static final class Receipt {
        final long arrivalMs;
        final String messageId;
        final String chat;
        final int seq;
        final int clientPort;
        final String number;
        final String text;
        volatile int status;
        volatile long answerMs;
        volatile long doneMs;

        Receipt(long arrivalMs, String messageId, String chat, int seq, int clientPort, String number, String text) {
            this.arrivalMs = arrivalMs;
            this.messageId = messageId;
            this.chat = chat;
            this.seq = seq;
            this.clientPort = clientPort;
            this.number = number;
            this.text = text;
        }

        /** Evolution accepted it: a 2xx answer was written in full. */
        boolean delivered() {
            return doneMs > 0 && status / 100 == 2;
        }
    }

    /** The message id, chat and per-chat sequence number the suite writes into each text. */
    static final Pattern TEXT = Pattern.compile("fault (\\S+) (\\S+) #(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final int minLatencyMs;
    private final int maxLatencyMs;
    private final ExecutorService pool = Executors.newFixedThreadPool(256);
    private final List<Receipt> receipts = new ArrayList<>();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private volatile boolean failFirstAttempt;
    private HttpServer server;

    StandIn(int port, int minLatencyMs, int maxLatencyMs) throws IOException {
        this.port = port;
        this.minLatencyMs = minLatencyMs;
        this.maxLatencyMs = maxLatencyMs;
        up();
    }

    int port() {
        return port;
    }

    void failFirstAttempt(boolean on) {
        failFirstAttempt = on;
    }

    /** Listens (again) on the same port. */
    synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        s.setExecutor(pool);
        s.createContext("/message/sendText/", this::sendText);
        s.createContext("/instance/connectionState/", ex -> answer(ex, 200,
                "{\"instance\":{\"instanceName\":\"" + lastSegment(ex) + "\",\"state\":\"open\"}}"));
        s.createContext("/", ex -> answer(ex, 201, "{}"));
        s.start();
        server = s;
    }

    /** Closes the listener and every connection: new connections are refused until {@link #up()}. */
    synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** A copy of everything received so far. */
    synchronized List<Receipt> receipts() {
        return new ArrayList<>(receipts);
    }

    /** Distinct message ids with at least one receipt (any answer). */
    int attemptedCount() {
        return attempted.size();
    }

    private void sendText(HttpExchange ex) throws IOException {
        long arrival = System.currentTimeMillis();
        JsonNode body;
        try (InputStream in = ex.getRequestBody()) {
            body = JSON.readTree(in.readAllBytes());
        }
        String text = body.path("text").asText("");
        String number = body.path("number").asText("");
        Matcher m = TEXT.matcher(text);
        int client = ex.getRemoteAddress().getPort();
        Receipt r = m.find()
                ? new Receipt(arrival, m.group(1), m.group(2), Integer.parseInt(m.group(3)), client, number, text)
                : new Receipt(arrival, "?", "?", 0, client, number, text);
        boolean first = attempted.add(r.messageId);
        synchronized (this) {
            receipts.add(r);
        }
        long wait = body.path("delay").asLong(0) + ThreadLocalRandom.current().nextLong(minLatencyMs, maxLatencyMs + 1L);
        sleep(wait);
        int status = failFirstAttempt && first ? 500 : 201;
        r.status = status;
        r.answerMs = System.currentTimeMillis();
        String answer = status == 201
                ? "{\"key\":{\"remoteJid\":\"" + body.path("number").asText("") + "@s.whatsapp.net\",\"fromMe\":true,"
                        + "\"id\":\"3EB0" + Long.toHexString(ThreadLocalRandom.current().nextLong()).toUpperCase()
                        + "\"},\"status\":\"PENDING\"}"
                : "{\"status\":500,\"error\":\"Internal Server Error\",\"response\":{\"message\":\"fault suite\"}}";
        answer(ex, status, answer);
        r.doneMs = System.currentTimeMillis();
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String lastSegment(HttpExchange ex) {
        String p = ex.getRequestURI().getPath();
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        down();
        pool.shutdownNow();
    }
}
