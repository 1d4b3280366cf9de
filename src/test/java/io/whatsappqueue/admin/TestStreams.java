package io.whatsappqueue.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestRedis;
import org.redisson.api.PendingEntry;
import org.redisson.api.RStream;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;

/** Direct Redis access for arranging and asserting stream state, the way a worker or the previous system would. */
final class TestStreams {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String GROUP = Keys.SEND_GROUP;

    private TestStreams() {
    }

    static RStream<String, String> stream(String key) {
        return TestRedis.client().getStream(key, StringCodec.INSTANCE);
    }

    static String payload(String messageId, String to, String text) {
        return "{\"message_id\":\"" + messageId + "\",\"to\":\"" + to + "\",\"text\":\"" + text
                + "\",\"queued_at\":1761055392.123,\"attempts\":0,\"metadata\":{}}";
    }

    static String add(String key, String payload) {
        return stream(key).add(StreamAddArgs.entries(Map.of("payload", payload))).toString();
    }

    static void group(String key) {
        RStream<String, String> s = stream(key);
        if (!s.isExists() || s.listGroups().stream().noneMatch(g -> g.getName().equals(GROUP))) {
            s.createGroup(StreamCreateGroupArgs.name(GROUP).id(StreamMessageId.ALL).makeStream());
        }
    }

    /** XREADGROUP > as {@code consumer}: the entries become pending with it. Returns their ids. */
    static List<String> read(String key, String consumer, int count) {
        return stream(key).readGroup(GROUP, consumer, StreamReadGroupArgs.neverDelivered().count(count))
                .keySet().stream().map(Object::toString).toList();
    }

    /** XACK without XDEL: what the previous system's resets left behind (acknowledged, still in the stream). */
    static void ack(String key, List<String> ids) {
        ids.forEach(id -> stream(key).ack(GROUP, StreamScan.parse(id)));
    }

    static void createConsumer(String key, String consumer) {
        stream(key).createConsumer(GROUP, consumer);
    }

    /** A running worker of ours, as Redis sees it: a consumer in the group with a fresh heartbeat. */
    static void liveWorker(String key, String consumer) {
        createConsumer(key, consumer);
        new io.whatsappqueue.stream.ConsumerLiveness(TestRedis.client()).beat(key, consumer);
    }

    static long xlen(String key) {
        return stream(key).isExists() ? stream(key).size() : 0;
    }

    static Map<String, PendingEntry> pending(String key) {
        Map<String, PendingEntry> out = new LinkedHashMap<>();
        RStream<String, String> s = stream(key);
        if (s.isExists()) {
            for (PendingEntry p : s.listPending(GROUP, StreamMessageId.MIN, StreamMessageId.MAX, 10_000)) {
                out.put(p.getId().toString(), p);
            }
        }
        return out;
    }

    static Map<String, String> fields(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        stream(key).range(StreamMessageId.MIN, StreamMessageId.MAX)
                .forEach((id, f) -> out.put(id.toString(), f.get("payload")));
        return out;
    }

    static List<JsonNode> payloads(String key) {
        List<JsonNode> out = new ArrayList<>();
        for (String p : fields(key).values()) {
            try {
                out.add(JSON.readTree(p));
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + p, e);
            }
        }
        return out;
    }

    static void markSent(String instance, String messageId) {
        TestRedis.client().getBucket(Keys.sent(instance, messageId), StringCodec.INSTANCE).set("3EB0SENT", 1, TimeUnit.HOURS);
    }

    /**
     * Number of keys whose name contains {@code part} (to prove an admin call created no key). The inbound
     * stream of a configured instance is left out: the reply route creates it (and its consumer heartbeats)
     * when it starts, whatever the admin API does.
     */
    static long keysContaining(String part) {
        long n = 0;
        for (String k : TestRedis.client().getKeys().getKeysByPattern("*" + part + "*")) {
            n += k == null || k.contains(":inbound") ? 0 : 1;
        }
        return n;
    }

    /**
     * Makes every consumer of the stream (and its pending entries) look {@code ageMs} older, as if its worker
     * stopped that long ago: Redis has no command for that, so the stream is DUMPed, the consumers' seen-times
     * and deliveries' times (8-byte little-endian milliseconds of the last ten minutes) are moved back, and the
     * payload is RESTOREd with a recomputed CRC-64. Redis checks the checksum, so a wrong patch fails loudly.
     */
    static void age(String key, long ageMs) {
        RStream<String, String> s = stream(key);
        byte[] d = s.dump();
        long now = System.currentTimeMillis();
        int body = d.length - 10;
        for (int i = 0; i + 8 <= body; i++) {
            long v = readLe(d, i);
            if (v > now - 600_000 && v <= now + 5_000) {
                writeLe(d, i, v - ageMs);
                i += 7;
            }
        }
        writeLe(d, d.length - 8, crc64(d, d.length - 8));
        s.restoreAndReplace(d);
    }

    private static long readLe(byte[] b, int at) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (b[at + k] & 0xff);
        }
        return v;
    }

    private static void writeLe(byte[] b, int at, long v) {
        for (int k = 0; k < 8; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
        }
    }

    /** Redis's CRC-64 (Jones polynomial, reflected, initial value 0). */
    private static long crc64(byte[] b, int len) {
        long crc = 0;
        for (int i = 0; i < len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95AC9329AC4BC9B5L : crc >>> 1;
            }
        }
        return crc;
    }
}
