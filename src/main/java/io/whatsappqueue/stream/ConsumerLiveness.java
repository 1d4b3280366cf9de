package io.whatsappqueue.stream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.whatsappqueue.redis.Keys;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamConsumer;
import org.redisson.client.codec.StringCodec;

/**
 * Which consumers of a stream are alive. Redis 7.0's consumer idle time is no proof: it only moves on an
 * XREADGROUP that may deliver, so a worker paused for an Evolution outage would look dead. Our workers
 * therefore beat a heartbeat every few seconds; a consumer of ours is alive while its beat is recent. Other
 * software's consumers (the previous Python worker) are judged by idle time. The one definition used by
 * the workers (to remove dead consumers), the health endpoint and the metrics.
 */
public final class ConsumerLiveness {
    /** Workers beat at least this often. */
    public static final long BEAT_EVERY_MS = 5_000;
    /** Alive while the last beat (or, for others' consumers, the last read) is this recent. */
    public static final long ALIVE_WITHIN_MS = 4 * BEAT_EVERY_MS;

    private final RedissonClient redis;

    public ConsumerLiveness(RedissonClient redis) {
        this.redis = redis;
    }

    public void beat(String streamKey, String consumer) {
        heartbeats(streamKey).add(System.currentTimeMillis(), consumer);
    }

    public void forget(String streamKey, String consumer) {
        heartbeats(streamKey).remove(consumer);
    }

    /** Milliseconds since the consumer's last sign of life. */
    public long silenceMs(String streamKey, StreamConsumer c) {
        if (!c.getName().startsWith(ConsumerNames.PREFIX)) {
            return c.getIdleTime();
        }
        Double beat = heartbeats(streamKey).getScore(c.getName());
        return beat == null ? Long.MAX_VALUE : Math.max(0, System.currentTimeMillis() - beat.longValue());
    }

    public boolean isAlive(String streamKey, StreamConsumer c) {
        return silenceMs(streamKey, c) < ALIVE_WITHIN_MS;
    }

    public List<StreamConsumer> alive(String streamKey, Collection<StreamConsumer> consumers) {
        List<StreamConsumer> out = new ArrayList<>();
        for (StreamConsumer c : consumers) {
            if (isAlive(streamKey, c)) {
                out.add(c);
            }
        }
        return out;
    }

    private RScoredSortedSet<String> heartbeats(String streamKey) {
        return redis.getScoredSortedSet(Keys.consumerHeartbeats(streamKey), StringCodec.INSTANCE);
    }
}
