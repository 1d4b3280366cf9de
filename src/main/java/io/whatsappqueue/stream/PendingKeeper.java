package io.whatsappqueue.stream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending-entry maintenance of one consumer, run on its timer every few seconds: beats the consumer's heartbeat
 * on every served stream and keeps every entry it holds fresh (one pipelined round trip, however many
 * instances), takes over entries idle longer than claimIdleMs (their consumer died), and removes our stopped
 * consumers that hold nothing. Reclaims wait until Redis has served this process for two beats, so after a
 * Redis outage a live worker finishes its own entries before anyone takes them over (I2).
 */
final class PendingKeeper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PendingKeeper.class);

    private final RedisStreamConsumer consumer;
    private final RedisStreamEndpoint endpoint;
    private final StreamStore store;
    private final RedisAvailability availability;
    private final String consumerName;
    private final long everyMs;
    private long lastSweep;

    PendingKeeper(RedisStreamConsumer consumer, StreamStore store, RedisAvailability availability, String consumerName) {
        this.consumer = consumer;
        this.endpoint = consumer.getEndpoint();
        this.store = store;
        this.availability = availability;
        this.consumerName = consumerName;
        this.everyMs = intervalMs(endpoint.getConfiguration().getClaimIdleMs());
    }

    /** How often maintenance runs: a third of the claim idle time, between 0.5 and 5 s. */
    static long intervalMs(long claimIdleMs) {
        return Math.min(ConsumerLiveness.BEAT_EVERY_MS, Math.max(500, claimIdleMs / 3));
    }

    long everyMs() {
        return everyMs;
    }

    @Override
    public void run() {
        try {
            keepFresh();
            availability.ok();
        } catch (RuntimeException e) {
            availability.failed(e);
            LOG.warn("{}: keeping held entries fresh failed: {}", kind(), e.getMessage());
            return;
        }
        if (!consumer.isRunning()) {
            return;
        }
        try {
            reclaim();
            sweepStoppedConsumers();
        } catch (RuntimeException e) {
            if (Failures.isRedisUnavailable(e)) {
                availability.failed(e);
            }
            LOG.warn("{}: pending maintenance failed: {}", kind(), e.getMessage());
        }
    }

    /** Heartbeat and fresh held entries; also used while stopping, until in-flight entries are done. */
    void keepFresh() {
        Map<String, List<String>> held = consumer.heldIdsByStream();
        Set<String> keys = new LinkedHashSet<>();
        consumer.servedInstances().forEach(i -> keys.add(endpoint.streamKey(i)));
        keys.addAll(held.keySet());
        store.keepFresh(endpoint.getConfiguration().getGroup(), consumerName, keys, held, everyMs / 2);
    }

    private void reclaim() {
        RedisStreamConfiguration c = endpoint.getConfiguration();
        if (!availability.servingFor(2 * everyMs) || !consumer.hasRoom()) {
            return;
        }
        List<String> keys = new ArrayList<>();
        for (String instance : consumer.servedInstances()) {
            if (consumer.mayRead(instance)) {
                keys.add(endpoint.streamKey(instance));
            }
        }
        List<StreamEntry> taken = store.reclaim(keys, c.getGroup(), consumerName, c.getClaimIdleMs(),
                consumer.roomToHold(), c.getLegacyChatField(), endpoint::instanceOf);
        if (!taken.isEmpty()) {
            LOG.info("{}: reclaimed {} entries idle over {} ms from stopped consumers", kind(), taken.size(),
                    c.getClaimIdleMs());
            consumer.acceptReclaimed(taken);
        }
    }

    private void sweepStoppedConsumers() {
        long now = System.currentTimeMillis();
        long deadAfter = Math.max(ConsumerLiveness.ALIVE_WITHIN_MS + ConsumerLiveness.BEAT_EVERY_MS,
                endpoint.getConfiguration().getClaimIdleMs() * 2);
        if (now - lastSweep < deadAfter / 2) {
            return;
        }
        lastSweep = now;
        List<String> keys = consumer.servedInstances().stream().map(endpoint::streamKey).toList();
        List<String> removed = store.removeDeadConsumers(keys, endpoint.getConfiguration().getGroup(), consumerName,
                deadAfter);
        if (!removed.isEmpty()) {
            LOG.info("{}: removed stopped consumers {} (they held nothing)", kind(), removed);
        }
    }

    private String kind() {
        return endpoint.getConfiguration().getKind();
    }
}
