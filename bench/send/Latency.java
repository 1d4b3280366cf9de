// Paced load generator for the send latency benchmark; no dependencies (speaks RESP over a plain socket).
//   java bench/send/Latency.java <redisPort> <ratePerSec> <seconds> <chats> <prefix> <measured:true|false> [stream]
// XADDs wa:bench:stream entries in the worker's format at a fixed schedule (start + i/rate, not "sleep after
// send", so a slow XADD does not lower the rate). When measured, each text carries t=<epoch micros> taken
// just before the XADD is written; the stand-in subtracts it from its receive time.
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

public class Latency {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        double rate = Double.parseDouble(a[1]);
        double seconds = Double.parseDouble(a[2]);
        int chats = Integer.parseInt(a[3]);
        String prefix = a[4];
        boolean measured = Boolean.parseBoolean(a[5]);
        String stream = a.length > 6 ? a[6] : "wa:bench:stream";
        int n = (int) Math.round(rate * seconds);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            long start = System.nanoTime();
            long maxLag = 0;
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                maxLag = Math.max(maxLag, System.nanoTime() - due);
                Instant now = Instant.now();
                long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                String id = prefix + i;
                String to = String.format("5511%07d", i % chats);
                String text = measured ? "latency " + id + " t=" + micros : "warmup " + id;
                String payload = "{\"message_id\":\"" + id + "\",\"to\":\"" + to + "\",\"text\":\"" + text
                        + "\",\"queued_at\":" + String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000)
                        + ",\"attempts\":0,\"metadata\":{}}";
                out.write(resp("XADD", stream, "*", "payload", payload));
                out.flush();
                readReply(in);
            }
            System.out.printf("sent %d entries at %.0f/s in %.2f s (max schedule lag %.2f ms)%n", n, rate,
                    (System.nanoTime() - start) / 1e9, maxLag / 1e6);
        }
    }

    static byte[] resp(String... parts) {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            b.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void readReply(InputStream in) throws IOException {
        int type = in.read();
        String line = readLine(in);
        if (type == '-') {
            throw new IOException("redis error: " + line);
        }
        if (type == '$') {
            int len = Integer.parseInt(line);
            if (len >= 0) {
                in.readNBytes(len + 2);
            }
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }
}
