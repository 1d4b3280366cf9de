package io.whatsappqueue.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import org.redisson.api.RStream;
import org.redisson.api.StreamMessageId;

/** Walks a stream in pages of XRANGE, from an exclusive cursor up to a fixed last id. */
final class StreamScan {
    static final int PAGE = 200;

    private StreamScan() {
    }

    /** Up to {@code count} entries after {@code after} (null: from the start) and not after {@code last}. */
    static Map<StreamMessageId, Map<String, String>> page(RStream<String, String> s, StreamMessageId after,
                                                        StreamMessageId last, int count) {
        StreamMessageId from = after == null ? StreamMessageId.MIN
                : new StreamMessageId(after.getId0(), after.getId1() + 1);
        if (after != null && compare(from, last) > 0) {
            return Map.of();
        }
        return new LinkedHashMap<>(s.range(count, from, last));
    }

    static int compare(StreamMessageId a, StreamMessageId b) {
        int c = Long.compare(a.getId0(), b.getId0());
        return c != 0 ? c : Long.compare(a.getId1(), b.getId1());
    }

    static StreamMessageId parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new StreamMessageId(Long.parseLong(id), 0);
        }
        return new StreamMessageId(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    }

    /** The stream's last generated id; 0-0 for an empty one. */
    static StreamMessageId lastGenerated(RStream<String, String> s) {
        return s.getInfo().getLastGeneratedId();
    }
}
