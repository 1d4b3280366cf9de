package io.whatsappqueue.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the commands clients send to the test Redis, with MONITOR: each command a client sent is printed with
 * the client's address, each command a script ran with {@code [0 lua]}, so the lines not from {@code lua} are
 * round trips (INFO commandstats counts a script's inner commands too). Commands named in {@code ignored} (a
 * test's own polls, which the app never sends at top level) are left out. Close to stop.
 */
public final class RedisMonitor implements AutoCloseable {
    private final Socket socket;
    private final Set<String> ignored;
    private final Map<String, Integer> topLevel = new TreeMap<>();
    private int inScripts;
    private final Thread reader;

    /** Starts monitoring the test Redis ({@link TestRedis#url}); returns once Redis confirmed MONITOR. */
    public RedisMonitor(Set<String> ignored) throws IOException {
        this.ignored = ignored;
        URI url = URI.create(TestRedis.url());
        socket = new Socket(url.getHost(), url.getPort());
        OutputStream out = socket.getOutputStream();
        out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String ok = in.readLine();
        if (!"+OK".equals(ok)) {
            throw new IOException("MONITOR answered " + ok);
        }
        reader = new Thread(() -> read(in), "redis-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(BufferedReader in) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                count(line);
            }
        } catch (IOException e) {
            // closed: counting ends
        }
    }

    /** A line looks like {@code +1795997591.705581 [0 127.0.0.1:51444] "eval" "..." "0"}. */
    private synchronized void count(String line) {
        int close = line.indexOf(']');
        int open = line.indexOf('[');
        if (open < 0 || close < 0) {
            return;
        }
        if (line.substring(open, close).endsWith(" lua")) {
            inScripts++;
            return;
        }
        int q1 = line.indexOf('"', close);
        int q2 = q1 < 0 ? -1 : line.indexOf('"', q1 + 1);
        if (q2 < 0) {
            return;
        }
        String command = line.substring(q1 + 1, q2).toLowerCase(Locale.ROOT);
        if (!ignored.contains(command)) {
            topLevel.merge(command, 1, Integer::sum);
        }
    }

    /** Commands sent by clients so far, by name (lower case), without the ignored ones. */
    public synchronized Map<String, Integer> topLevel() {
        return new TreeMap<>(topLevel);
    }

    public synchronized int topLevelTotal() {
        return topLevel.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Commands scripts ran so far. */
    public synchronized int inScripts() {
        return inScripts;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
