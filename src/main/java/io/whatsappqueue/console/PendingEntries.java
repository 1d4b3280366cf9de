package io.whatsappqueue.console;

import java.util.List;

import io.whatsappqueue.redis.Keys;
import org.redisson.api.PendingEntry;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/**
 * The oldest pending entries of an instance's send stream (XPENDING of group wa_workers): id, owner consumer,
 * idle time in ms and delivery count, for the console's instance page. Read only; never creates a key.
 */
final class PendingEntries {
    static final int SHOWN = 50;

    private final RedissonClient redis;

    PendingEntries(RedissonClient redis) {
        this.redis = redis;
    }

    List<PendingEntry> oldest(String instance) {
        RStream<String, String> s = redis.getStream(Keys.sendStream(instance), StringCodec.INSTANCE);
        if (!s.isExists() || s.listGroups().stream().noneMatch(g -> g.getName().equals(Keys.SEND_GROUP))) {
            return List.of();
        }
        return s.listPending(Keys.SEND_GROUP, StreamMessageId.MIN, StreamMessageId.MAX, SHOWN);
    }
}
