package io.whatsappqueue.fault;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis client (RESP2) for the suite's own look-ups and fault commands: one short-lived connection per
 * command with a timeout (default 2 s), so a frozen or dead Redis never hangs the suite and nothing is retried
 * behind its back. Answers: String, Long, List (nested), null; an error reply throws {@link RedisError}.
 */
final class Resp {
    static final class RedisError extends RuntimeException {
        RedisError(String message) {
            super(message);
        }
    }

    private final int port;

    Resp(int port) {
        this.port = port;
    }

    Object call(String... args) {
        return call(2000, args);
    }

    Object call(int timeoutMs, String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                req.writeBytes(b);
                req.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(req.toByteArray());
            out.flush();
            return read(new BufferedInputStream(s.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("redis 127.0.0.1:" + port + " " + args[0] + ": " + e.getMessage(), e);
        }
    }

    long number(String... args) {
        Object o = call(args);
        return o instanceof Long l ? l : Long.parseLong(String.valueOf(o));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String... args) {
        Object o = call(args);
        return o == null ? List.of() : (List<Object>) o;
    }

    /** True when Redis answers PING within the timeout. */
    boolean pings(int timeoutMs) {
        try {
            return "PONG".equals(call(timeoutMs, "PING"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.UTF_8);
    }
}
