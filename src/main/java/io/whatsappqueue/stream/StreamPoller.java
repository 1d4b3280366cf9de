package io.whatsappqueue.stream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reading thread of a {@link RedisStreamConsumer}, whatever the number of instances: follows the
 * served instances (their groups are created when they appear, DESIGN §5), and reads every stream whose
 * instance may dispatch with one blocking XREADGROUP. What it reads goes to the consumer; it reads only while
 * the consumer has room. Redis failures are waited out with back-off (no hot loop), a group that vanished
 * (Redis restarted empty, an operator's destroy) is created again.
 */
final class StreamPoller implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPoller.class);
    /** Longest blocking read, so a stop or an instance change takes effect within about a second. */
    static final long MAX_BLOCK_MS = 1000;
    /**
     * Cluster mode with streams in several hash slots: no one blocking read covers them (CROSSSLOT), so each slot
     * is read without blocking and an empty round waits this long; it bounds the added latency of an idle worker.
     */
    static final long SLOT_POLL_IDLE_MS = 50;

    private final RedisStreamConsumer consumer;
    private final RedisStreamEndpoint endpoint;
    private final StreamStore store;
    private final RedisAvailability availability;
    private final String consumerName;
    private final Set<String> known = new LinkedHashSet<>();
    private volatile boolean running = true;
    private volatile boolean alive;
    private boolean groupsChecked;

    StreamPoller(RedisStreamConsumer consumer, StreamStore store, RedisAvailability availability, String consumerName) {
        this.consumer = consumer;
        this.endpoint = consumer.getEndpoint();
        this.store = store;
        this.availability = availability;
        this.consumerName = consumerName;
    }

    @Override
    public void run() {
        alive = true;
        try {
            while (running) {
                pollOnce();
            }
        } finally {
            alive = false;
        }
    }

    void stop() {
        running = false;
    }

    /** False when the thread ended while it should still run (readiness). */
    boolean healthy() {
        return alive || !running;
    }

    /** The instances this poller serves now (after their groups were made sure of). */
    synchronized Set<String> known() {
        return new LinkedHashSet<>(known);
    }

    private void pollOnce() {
        RedisStreamConfiguration c = endpoint.getConfiguration();
        try {
            followInstances();
            consumer.pump();
            if (!consumer.awaitRoom(100)) {
                return;
            }
            List<String> keys = new ArrayList<>();
            for (String instance : known()) {
                if (consumer.mayRead(instance)) {
                    keys.add(endpoint.streamKey(instance));
                }
            }
            if (keys.isEmpty()) {
                consumer.idle(200);
                return;
            }
            StreamStore.Batch batch = store.read(c.getGroup(), consumerName, keys, Math.max(1, c.getReadCount()),
                    Math.max(1, Math.min(c.getBlockMs(), MAX_BLOCK_MS)));
            availability.readOk();
            if (!batch.isEmpty()) {
                consumer.accept(batch);
            } else if (!store.readBlocks(keys)) {
                consumer.idle(SLOT_POLL_IDLE_MS);
            }
        } catch (RuntimeException e) {
            if (!running) {
                return;
            }
            if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                LOG.warn("{}: a consumer group is missing ({}); creating it again", endpoint.getConfiguration().getKind(),
                        e.getMessage());
                groupsChecked = false;
                return;
            }
            availability.readFailed(e);
            long delay = availability.retryDelayMs();
            LOG.warn("reading {} streams failed ({}); retrying in {} ms", c.getKind(), e.getMessage(), delay);
            consumer.idle(delay);
        }
    }

    /** Groups for instances that appeared; instances that went away are no longer read (their backlog stays). */
    private void followInstances() {
        Set<String> now = endpoint.servedInstances();
        Set<String> added = new LinkedHashSet<>(now);
        synchronized (this) {
            if (groupsChecked && now.equals(known)) {
                return;
            }
            if (groupsChecked) {
                added.removeAll(known);
            }
        }
        List<String> keys = added.stream().map(endpoint::streamKey).toList();
        long created = store.ensureGroups(keys, endpoint.getConfiguration().getGroup(), consumerName);
        if (created > 0 && groupsChecked) {
            LOG.info("{}: created consumer group {} on {} stream(s)", endpoint.getConfiguration().getKind(),
                    endpoint.getConfiguration().getGroup(), created);
        }
        Set<String> removed;
        synchronized (this) {
            removed = new LinkedHashSet<>(known);
            removed.removeAll(now);
            known.clear();
            known.addAll(now);
            groupsChecked = true;
        }
        if (!removed.isEmpty()) {
            LOG.info("{}: no longer serving {}; their entries stay in Redis", endpoint.getConfiguration().getKind(), removed);
            consumer.instancesRemoved(removed);
        }
        if (!added.isEmpty()) {
            // visible as a live consumer at once, not only at the keeper's first beat
            consumer.beatNow();
            LOG.info("Consuming {} of {} as {} in group {}", endpoint.getConfiguration().getKind(), added, consumerName,
                    endpoint.getConfiguration().getGroup());
        }
    }
}
