package io.whatsappqueue.observe;

import java.util.LinkedHashMap;
import java.util.Map;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.ConsumerLiveness;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.ScoredEntry;

/**
 * Our workers whose heartbeat on a stream is recent ({@link ConsumerLiveness#ALIVE_WITHIN_MS}), whether or
 * not the stream's group lists them yet. A group re-created by {@code DELETE /admin/streams/destroy-recreate}
 * has no consumers until each worker's next read, while the workers are alive and beating; health and the
 * {@code wa_consumers} gauge count these too, so they do not report "no active consumers" meanwhile.
 */
public final class BeatingConsumers {
    private BeatingConsumers() {
    }

    /** Consumer name to milliseconds since its last beat, for every beat within the liveness window. */
    public static Map<String, Long> of(RedissonClient redis, String streamKey) {
        long now = System.currentTimeMillis();
        RScoredSortedSet<String> beats = redis.getScoredSortedSet(Keys.consumerHeartbeats(streamKey), StringCodec.INSTANCE);
        Map<String, Long> out = new LinkedHashMap<>();
        for (ScoredEntry<String> e : beats.entryRange(now - ConsumerLiveness.ALIVE_WITHIN_MS, false, Double.POSITIVE_INFINITY, true)) {
            out.put(e.getValue(), Math.max(0, now - e.getScore().longValue()));
        }
        return out;
    }
}
