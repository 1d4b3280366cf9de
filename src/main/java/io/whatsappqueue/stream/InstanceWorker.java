package io.whatsappqueue.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one instance's stream and dispatches its entries. All bookkeeping is under this object's lock;
 * route processing runs on the shared pool.
 *
 * <p>Per-chat order: entries of one chat form a lane; only the lane's head may run, and only when it is
 * also the head of the chat's order set in Redis (so another worker's earlier entry goes first). A failed
 * entry keeps its lane while it waits for its retry, so a later reply never overtakes it; other chats go on.
 */
final class InstanceWorker {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceWorker.class);
    private static final long BLOCKED_POLL_MS = 20;

    private final RedisStreamConsumer consumer;
    private final RedisStreamEndpoint endpoint;
    private final StreamStore store;
    private final String instance;
    private final String key;
    private final String group;
    private final String name;
    private final ExecutorService processors;
    private final ScheduledExecutorService timers;
    private final DispatchGate gate;
    private final RetryBackoff backoff;
    /** Entries on the processing pool at once: the back-pressure that matters. */
    private final int capacity;
    /**
     * Entries this worker may hold in all (running, waiting for a retry, queued behind an earlier reply of
     * their chat, held while paused). Much larger than {@code capacity}: entries waiting out a back-off must
     * not stop healthy replies from being read.
     */
    private final int maxOwned;
    private int onPool;

    private final Map<String, StreamEntry> owned = new LinkedHashMap<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final List<StreamEntry> held = new ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean readerAlive;
    private long lastSweep;
    private long housekeepingMs;

    private static final class Lane {
        final ArrayDeque<StreamEntry> queue = new ArrayDeque<>();
        StreamEntry active;
        boolean blocked;
    }

    InstanceWorker(RedisStreamConsumer consumer, StreamStore store, String instance, String name,
                   ExecutorService processors, ScheduledExecutorService timers) {
        this.consumer = consumer;
        this.endpoint = consumer.endpoint();
        this.store = store;
        this.instance = instance;
        this.key = io.whatsappqueue.redis.Keys.stream(instance, endpoint.getKind());
        this.group = endpoint.getGroup();
        this.name = name;
        this.processors = processors;
        this.timers = timers;
        this.gate = endpoint.getGate();
        this.backoff = new RetryBackoff(endpoint.getBaseBackoffMs(), endpoint.getMaxBackoffMs());
        this.capacity = Math.max(endpoint.getConcurrency() * 2, endpoint.getReadCount());
        this.maxOwned = capacity * 20;
    }

    void start(ExecutorService readers) {
        store.ensureGroup(key, group);
        store.createConsumer(key, group, name);
        store.liveness().beat(key, name);
        long housekeeping = Math.min(ConsumerLiveness.BEAT_EVERY_MS, Math.max(500, endpoint.getClaimIdleMs() / 3));
        housekeepingMs = housekeeping;
        timers.scheduleWithFixedDelay(guard(this::housekeeping), housekeeping, housekeeping, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(guard(this::pollBlockedLanes), BLOCKED_POLL_MS, BLOCKED_POLL_MS, TimeUnit.MILLISECONDS);
        readerAlive = true;
        readers.execute(this::readLoop);
    }

    void stopReading() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
    }

    /** On a clean stop a consumer that holds nothing leaves the group, so it is not counted as alive. */
    void leaveGroupIfIdle() {
        synchronized (this) {
            if (!owned.isEmpty()) {
                LOG.info("{}: {} entries stay pending for another worker to reclaim", key, owned.size());
                return;
            }
        }
        try {
            store.stream(key).removeConsumer(group, name);
            store.liveness().forget(key, name);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not leave group {}: {}", key, group, e.getMessage());
        }
    }

    boolean readerAlive() {
        return readerAlive || !running;
    }

    private void readLoop() {
        readerAlive = true;
        try {
            readUntilStopped();
        } finally {
            readerAlive = false;
        }
    }

    private void readUntilStopped() {
        long errorBackoff = 250;
        while (running) {
            try {
                if (!gate.isOpen(instance)) {
                    pause(200);
                    continue;
                }
                releaseHeld();
                int room;
                synchronized (this) {
                    room = Math.min(capacity - onPool, maxOwned - owned.size());
                    if (room <= 0) {
                        wait(100);
                        continue;
                    }
                }
                StreamStore.ReadResult r = store.read(instance, key, group, name,
                        Math.min(endpoint.getReadCount(), room), endpoint.getOrderField());
                if (r.entries().isEmpty()) {
                    store.waitForNew(key, r.lastGeneratedId(), endpoint.getBlockMs());
                } else {
                    accept(r.entries(), r.heads());
                }
                errorBackoff = 250;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("{}: reading failed ({}); retrying in {} ms", key, e.getMessage(), errorBackoff);
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    recreateGroup();
                }
                pause(errorBackoff);
                errorBackoff = Math.min(5000, errorBackoff * 2);
            }
        }
    }

    private void recreateGroup() {
        try {
            store.ensureGroup(key, group);
            store.createConsumer(key, group, name);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not recreate group {}: {}", key, group, e.getMessage());
        }
    }

    private void accept(List<StreamEntry> entries, List<Boolean> heads) {
        synchronized (this) {
            for (int i = 0; i < entries.size(); i++) {
                StreamEntry e = entries.get(i);
                if (owned.containsKey(e.id())) {
                    continue;
                }
                owned.put(e.id(), e);
                if (!e.ordered()) {
                    dispatch(e);
                    continue;
                }
                Lane lane = lanes.computeIfAbsent(e.chat(), c -> new Lane());
                lane.queue.add(e);
                if (lane.active == null) {
                    if (heads != null && heads.get(i) && lane.queue.peek() == e) {
                        startHead(lane);
                    } else {
                        lane.blocked = true;
                    }
                }
            }
        }
    }

    /** Caller holds the lock. */
    private void startHead(Lane lane) {
        StreamEntry e = lane.queue.poll();
        lane.active = e;
        lane.blocked = false;
        dispatch(e);
    }

    private void dispatch(StreamEntry e) {
        synchronized (this) {
            onPool++;
        }
        processors.execute(() -> {
            try {
                process(e);
            } finally {
                synchronized (this) {
                    onPool--;
                    notifyAll();
                }
            }
        });
    }

    private void process(StreamEntry e) {
        Exchange exchange = consumer.newExchange();
        try {
            exchange.getMessage().setBody(e.fields().get("payload"));
            exchange.setProperty(StreamProperties.INSTANCE, instance);
            exchange.setProperty(StreamProperties.STREAM, key);
            exchange.setProperty(StreamProperties.STREAM_ID, e.id());
            exchange.setProperty(StreamProperties.DELIVERY, e.delivery());
            exchange.setProperty(StreamProperties.RECLAIMED, e.reclaimed());
            exchange.setProperty(StreamProperties.FIELDS, e.fields());
            try {
                consumer.getProcessor().process(exchange);
            } catch (Exception x) {
                exchange.setException(x);
            }
            Exception failure = exchange.getException();
            if (failure == null) {
                gate.onSuccess(instance);
                completed(e);
            } else {
                failed(e, failure);
            }
        } catch (RuntimeException x) {
            // Redis unreachable while finishing: drop the entry from our books; it stays pending in Redis,
            // and once idle it is reclaimed (the send marker prevents a second POST).
            LOG.error("{}: entry {} could not be finished ({}); it stays pending and will be reclaimed",
                    key, e.id(), x.getMessage());
            forget(e);
        } finally {
            consumer.release(exchange);
        }
    }

    private void completed(StreamEntry e) {
        String nextHead = store.finish(e, group);
        synchronized (this) {
            owned.remove(e.id());
            if (e.ordered()) {
                Lane lane = lanes.get(e.chat());
                if (lane != null) {
                    lane.active = null;
                    advance(lane, e.chat(), nextHead);
                }
            }
            notifyAll();
        }
    }

    /** Caller holds the lock. */
    private void advance(Lane lane, String chat, String nextHead) {
        StreamEntry next = lane.queue.peek();
        if (next == null) {
            lanes.remove(chat);
        } else if (next.member().equals(nextHead)) {
            startHead(lane);
        } else {
            lane.blocked = true;
        }
    }

    private void failed(StreamEntry e, Exception failure) {
        if (!running) {
            forget(e);
            return;
        }
        if (gate.onFailure(instance, failure) == DispatchGate.Decision.HOLD) {
            synchronized (this) {
                held.add(e);
            }
            endpoint.getEvents().held(instance, e.id(), e.delivery(), failure);
            return;
        }
        store.countRetry(e);
        long delay = backoff.delayMs(e.delivery());
        endpoint.getEvents().retrying(instance, e.id(), e.delivery(), delay, failure);
        StreamEntry next = e.nextAttempt(e.delivery() + 1);
        synchronized (this) {
            owned.put(e.id(), next);
        }
        timers.schedule(guard(() -> {
            if (running) {
                dispatch(next);
            }
        }), delay, TimeUnit.MILLISECONDS);
    }

    /** Entries held while the gate was shut go again, in order, without counting an attempt. */
    private void releaseHeld() {
        List<StreamEntry> again;
        synchronized (this) {
            if (held.isEmpty()) {
                return;
            }
            again = new ArrayList<>(held);
            held.clear();
        }
        again.sort((a, b) -> StreamStore.member(a.id()).compareTo(StreamStore.member(b.id())));
        again.forEach(this::dispatch);
    }

    private void forget(StreamEntry e) {
        synchronized (this) {
            owned.remove(e.id());
            Lane lane = e.ordered() ? lanes.get(e.chat()) : null;
            if (lane != null && lane.active != null && lane.active.id().equals(e.id())) {
                lane.active = null;
                lane.blocked = !lane.queue.isEmpty();
                if (lane.queue.isEmpty()) {
                    lanes.remove(e.chat());
                }
            }
            notifyAll();
        }
    }

    /** Lanes whose first entry waited for another worker's earlier entry: start those whose turn came. */
    private void pollBlockedLanes() {
        List<Lane> waiting = new ArrayList<>();
        List<StreamEntry> firsts = new ArrayList<>();
        synchronized (this) {
            for (Lane lane : lanes.values()) {
                if (lane.blocked && lane.active == null && !lane.queue.isEmpty()) {
                    waiting.add(lane);
                    firsts.add(lane.queue.peek());
                }
            }
        }
        if (firsts.isEmpty()) {
            return;
        }
        List<Boolean> heads = store.register(key, firsts);
        synchronized (this) {
            for (int i = 0; i < waiting.size(); i++) {
                Lane lane = waiting.get(i);
                if (heads.get(i) && lane.active == null && lane.queue.peek() == firsts.get(i)) {
                    startHead(lane);
                }
            }
        }
    }

    /**
     * Beat our heartbeat, keep our entries fresh, take over entries of dead consumers, and remove dead
     * consumers of ours.
     */
    private void housekeeping() {
        store.liveness().beat(key, name);
        List<String> ids;
        synchronized (this) {
            ids = new ArrayList<>(owned.keySet());
        }
        store.touch(key, group, name, ids, housekeepingMs / 2);
        if (running && gate.isOpen(instance)) {
            List<StreamEntry> reclaimed = store.reclaim(instance, key, group, name, endpoint.getClaimIdleMs(),
                    Math.max(1, endpoint.getReadCount()), endpoint.getOrderField());
            if (!reclaimed.isEmpty()) {
                LOG.info("{}: reclaimed {} entries idle over {} ms from stopped consumers", key, reclaimed.size(),
                        endpoint.getClaimIdleMs());
                accept(reclaimed, null);
            }
        }
        long now = System.currentTimeMillis();
        long deadAfter = Math.max(ConsumerLiveness.ALIVE_WITHIN_MS + ConsumerLiveness.BEAT_EVERY_MS,
                endpoint.getClaimIdleMs() * 2);
        if (now - lastSweep > deadAfter / 2) {
            lastSweep = now;
            List<String> removed = store.removeDeadConsumers(key, group, name, deadAfter);
            if (!removed.isEmpty()) {
                LOG.info("{}: removed stopped consumers {} (they held nothing)", key, removed);
            }
        }
    }

    private Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("{}: background step failed: {}", key, e.getMessage());
                }
            }
        };
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
