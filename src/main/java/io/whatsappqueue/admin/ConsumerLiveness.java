package io.whatsappqueue.admin;

import io.whatsappqueue.stream.ConsumerNames;
import org.redisson.api.StreamConsumer;

/**
 * Tells live consumers from dead ones. A running worker of ours refreshes its idle time at least every
 * WA_STREAM_BLOCK_MS (its reads) and every max(1 s, claimIdle/3) (its housekeeping claims), so a consumer
 * idle for longer than max(3 × WA_STREAM_BLOCK_MS, WA_STREAM_CLAIM_IDLE_MS, 30 s) has stopped. The previous
 * system counted every consumer ever registered, so its health never noticed a dead worker.
 */
public final class ConsumerLiveness {
    static final long FLOOR_MS = 30_000;

    private final long liveIdleMs;

    public ConsumerLiveness(long blockMs, long claimIdleMs) {
        this.liveIdleMs = Math.max(Math.max(3 * blockMs, claimIdleMs), FLOOR_MS);
    }

    public long liveIdleMs() {
        return liveIdleMs;
    }

    public boolean isLive(StreamConsumer c) {
        return c.getIdleTime() < liveIdleMs;
    }

    /** Ours: named by {@link ConsumerNames}, so it runs our send route and will process what it holds. */
    public static boolean isOurs(String consumerName) {
        return consumerName.startsWith(ConsumerNames.PREFIX);
    }
}
