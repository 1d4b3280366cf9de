package io.whatsappqueue.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.tracing.EntryTraceContext;
import io.whatsappqueue.tracing.TraceIdForLogs;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the streams of every served instance as one consumer-group member, with a bounded number of
 * threads and Redis connections whatever the number of instances: one {@link StreamPoller} thread, a pool of
 * {@code concurrency} processing threads, one timer for back-offs and {@link PendingKeeper}.
 *
 * <p>An entry is handed to the route when it is first in its chat's lane ({@link ChatLanes}), its instance's
 * gate is open, and fewer than {@code concurrency} entries of its instance are in flight. When the route is
 * done the entry is finished (acknowledged, deleted and marked in one step, retried while Redis refuses); a
 * pause ({@link Failures#isPause}) holds it without using an attempt; any other failure uses an attempt and
 * retries it after back-off. Nothing is ever dropped from memory while the process runs, so an entry never
 * lands behind a later entry of its chat. The invariants and their tests: docs/guarantees.md. An entry whose
 * payload metadata holds a W3C trace context hands it to the route as headers {@code traceparent} /
 * {@code tracestate} ({@link EntryTraceContext}), so Camel's tracer continues that trace.
 */
public class RedisStreamConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamConsumer.class);
    private static final long HEAD_POLL_MS = 50;
    private static final long PAUSE_RECHECK_MS = 250;

    private final RedisStreamEndpoint endpoint;
    private final RedisStreamConfiguration config;
    private final StreamStore store;
    private final RedisAvailability availability = new RedisAvailability();
    private final RetryBackoff backoff;
    private final String consumerName = ConsumerNames.ofThisProcess();
    /** Guarded by this. */
    private final ChatLanes lanes = new ChatLanes();
    /** Entries ready to start, waiting for a thread or their instance's turn. Guarded by this. */
    private final LinkedHashSet<ChatLanes.Slot> ready = new LinkedHashSet<>();
    /** Entries handed to the route and not yet done, per instance. Guarded by this. */
    private final Map<String, Integer> inFlight = new HashMap<>();
    private int totalInFlight;
    /** Tasks queued on or running in the processing pool. Guarded by this. */
    private int onPool;
    private final int poolCapacity;
    private final int maxHeld;

    private ExecutorService pool;
    private ExecutorService pollerThread;
    private ScheduledExecutorService timer;
    private StreamPoller poller;
    private PendingKeeper keeper;
    private volatile boolean running;
    private volatile boolean dispatching;

    public RedisStreamConsumer(RedisStreamEndpoint endpoint, Processor processor, StreamStore store) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.store = store;
        this.backoff = new RetryBackoff(config.getBaseBackoffMs(), config.getMaxBackoffMs());
        this.poolCapacity = Math.max(2, config.getConcurrency() * 2);
        this.maxHeld = Math.max(config.getReadCount() * 4, config.getConcurrency() * 20);
    }

    @Override
    public RedisStreamEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        var esm = getEndpoint().getCamelContext().getExecutorServiceManager();
        String name = "redis-stream-" + config.getKind();
        // twice the per-instance cap, so one busy instance never takes every thread from the others (fairness)
        pool = esm.newFixedThreadPool(this, name, poolCapacity);
        pollerThread = esm.newSingleThreadExecutor(this, name + "-poller");
        timer = esm.newScheduledThreadPool(this, name + "-timer", 1);
        poller = new StreamPoller(this, store, availability, consumerName);
        keeper = new PendingKeeper(this, store, availability, consumerName);
        running = true;
        dispatching = true;
        timer.scheduleWithFixedDelay(guard(keeper), keeper.everyMs(), keeper.everyMs(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(guard(this::pollHeads), HEAD_POLL_MS, HEAD_POLL_MS, TimeUnit.MILLISECONDS);
        pollerThread.execute(poller);
    }

    /**
     * Stop reading, let in-flight entries finish (kept fresh meanwhile) for at most shutdownTimeoutMs, and leave
     * everything else pending in Redis for another worker. A consumer that holds nothing leaves its group.
     */
    @Override
    protected void doStop() throws Exception {
        if (poller == null) {
            super.doStop();
            return;
        }
        running = false;
        dispatching = false;
        poller.stop();
        synchronized (this) {
            notifyAll();
        }
        var esm = getEndpoint().getCamelContext().getExecutorServiceManager();
        esm.shutdownNow(pollerThread);
        long deadline = System.currentTimeMillis() + config.getShutdownTimeoutMs();
        synchronized (this) {
            while (busy() && System.currentTimeMillis() < deadline) {
                wait(Math.max(1, Math.min(100, deadline - System.currentTimeMillis())));
            }
            if (busy()) {
                LOG.warn("{}: {} entries still in flight after {} ms; they stay pending and will be reclaimed",
                        config.getKind(), totalInFlight, config.getShutdownTimeoutMs());
            }
        }
        esm.shutdownNow(timer);
        esm.shutdownNow(pool);
        leaveGroups();
        poller = null;
        super.doStop();
    }

    private boolean busy() {
        return totalInFlight > 0 || lanes.count(ChatLanes.State.FINISHING) > 0;
    }

    private void leaveGroups() {
        List<String> keys = servedInstances().stream().map(endpoint::streamKey).toList();
        try {
            // entries held but never started are handed over at once: their idle time is set past claimIdleMs
            store.leave(keys, config.getGroup(), consumerName, config.getClaimIdleMs() + 1000);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not leave group {}: {}", config.getKind(), config.getGroup(), e.getMessage());
        }
        int n = lanes.size();
        if (n > 0) {
            LOG.info("{}: {} entries stay pending for another worker to take over", config.getKind(), n);
        }
    }

    // ---- what the poller and the keeper ask ----

    boolean isRunning() {
        return running;
    }

    Set<String> servedInstances() {
        return poller == null ? Set.of() : poller.known();
    }

    /** Heartbeat on every served stream now (an instance was added). */
    void beatNow() {
        keeper.keepFresh();
    }

    /** May entries of this instance be read now (its gate is open)? */
    boolean mayRead(String instance) {
        return config.getGate().isOpen(instance);
    }

    /** How many more entries this consumer may take on now (per stream, for reclaims); at least one read's worth. */
    synchronized int roomToHold() {
        return Math.max(config.getReadCount(), maxHeld - lanes.size());
    }

    synchronized boolean hasRoom() {
        return running && lanes.size() < maxHeld && onPool < poolCapacity;
    }

    /** Waits up to {@code ms} for room to read; true when there is room. */
    synchronized boolean awaitRoom(long ms) {
        if (hasRoom()) {
            return true;
        }
        try {
            wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return hasRoom();
    }

    /** Waits up to {@code ms} without holding anything (nothing to read, or Redis failing). */
    synchronized void idle(long ms) {
        if (!running) {
            return;
        }
        try {
            wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Entries the poller read: registered in their chats' order, then into the lanes. */
    void accept(StreamStore.Batch batch) {
        List<StreamEntry> entries = new ArrayList<>();
        batch.byStream().forEach((key, byId) -> byId.forEach((id, fields) -> entries.add(StreamStore.entry(
                endpoint.instanceOf(key), key, id, fields, 1, false, config.getLegacyChatField()))));
        take(entries, true);
    }

    /** Entries the keeper took over from a stopped consumer: into their lanes at their place by id. */
    void acceptReclaimed(List<StreamEntry> entries) {
        take(entries, false);
    }

    /**
     * @param admit ask the route's admission (EntryScripts) with the heads: only for entries never delivered
     *              before, which no other consumer can hold; an entry taken over may be in flight elsewhere
     */
    private void take(List<StreamEntry> entries, boolean admit) {
        List<StreamStore.HeadAnswer> heads;
        try {
            heads = store.heads(config.getGroup(), entries, config.getScripts(), admit);
        } catch (RuntimeException e) {
            // held but unconfirmed: the head poll confirms them once Redis answers
            availability.failed(e);
            heads = null;
        }
        long now = System.currentTimeMillis();
        synchronized (this) {
            for (int i = 0; i < entries.size(); i++) {
                StreamStore.HeadAnswer h = heads == null ? null : heads.get(i);
                if (h == null || h.head() != StreamStore.Head.GONE) {
                    boolean added = lanes.add(entries.get(i), h != null && h.head() == StreamStore.Head.GO);
                    if (added && h != null && h.admission() != null) {
                        ChatLanes.Slot s = lanes.slot(entries.get(i).stream(), entries.get(i).id());
                        s.admission = h.admission();
                        s.admittedAt = now;
                    }
                }
            }
            pumpLocked();
        }
    }

    /** Instances no longer served: entries of theirs that did not start stay pending in Redis, untouched. */
    synchronized void instancesRemoved(Set<String> removed) {
        for (StreamEntry e : lanes.all()) {
            ChatLanes.Slot s = lanes.slot(e.stream(), e.id());
            if (removed.contains(e.instance()) && s.state != ChatLanes.State.RUNNING
                    && s.state != ChatLanes.State.FINISHING) {
                ready.remove(s);
                lanes.remove(s);
            }
        }
    }

    /** Ids of every entry held, by stream key (to keep them fresh). */
    synchronized Map<String, List<String>> heldIdsByStream() {
        Map<String, List<String>> out = new HashMap<>();
        for (StreamEntry e : lanes.all()) {
            out.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e.id());
        }
        return out;
    }

    /** Starts whatever may start now. */
    synchronized void pump() {
        pumpLocked();
    }

    private void pumpLocked() {
        if (!dispatching) {
            return;
        }
        long now = System.currentTimeMillis();
        lanes.releaseDue(now, e -> config.getGate().isOpen(e.instance()));
        ready.addAll(lanes.runnable());
        Iterator<ChatLanes.Slot> it = ready.iterator();
        while (it.hasNext() && onPool < poolCapacity) {
            ChatLanes.Slot s = it.next();
            if (s.state != ChatLanes.State.WAITING) {
                it.remove();
                continue;
            }
            String instance = s.entry.instance();
            if (inFlight.getOrDefault(instance, 0) >= config.getConcurrency() || !config.getGate().isOpen(instance)) {
                continue;
            }
            it.remove();
            lanes.start(s);
            inFlight.merge(instance, 1, Integer::sum);
            totalInFlight++;
            onPool++;
            pool.execute(() -> run(s));
        }
    }

    // ---- one entry through the route ----

    private void run(ChatLanes.Slot s) {
        StreamEntry e = s.entry;
        Exchange exchange = createExchange(false);
        Message m = exchange.getMessage();
        m.setBody(e.fields().get("payload"));
        m.setHeader(RedisStreamConstants.INSTANCE, e.instance());
        m.setHeader(RedisStreamConstants.KEY, e.stream());
        m.setHeader(RedisStreamConstants.ID, e.id());
        m.setHeader(RedisStreamConstants.DELIVERY, e.delivery());
        m.setHeader(RedisStreamConstants.RECLAIMED, e.reclaimed());
        m.setHeader(RedisStreamConstants.FIELDS, e.fields());
        String admission;
        long admittedAt;
        synchronized (this) {
            // the read's admission holds for the first run only: a retry or a held entry is checked again
            admission = s.admission;
            admittedAt = s.admittedAt;
            s.admission = null;
        }
        if (admission != null) {
            m.setHeader(RedisStreamConstants.ADMISSION, admission);
            m.setHeader(RedisStreamConstants.ADMITTED_AT, admittedAt);
        }
        // the trace context in the payload's metadata as headers: Camel's tracer starts the route span as its child
        EntryTraceContext.toHeaders(e.fields().get("payload"), m);
        try {
            getAsyncProcessor().process(exchange, doneSync -> done(s, exchange));
        } catch (Throwable t) {
            exchange.setException(t);
            done(s, exchange);
        } finally {
            synchronized (this) {
                onPool--;
                notifyAll();
            }
        }
    }

    private void done(ChatLanes.Slot s, Exchange exchange) {
        Exception failure = exchange.getException();
        @SuppressWarnings("unchecked")
        Map<String, String> markers = exchange.getMessage().getHeader(RedisStreamConstants.MARK_ON_FINISH, Map.class);
        EntryScripts.Call call = exchange.getMessage().getHeader(RedisStreamConstants.FINISH_CALL, EntryScripts.Call.class);
        String traceId = TraceIdForLogs.of(exchange);
        releaseExchange(exchange, false);
        synchronized (this) {
            inFlight.merge(s.entry.instance(), -1, Integer::sum);
            totalInFlight--;
            lanes.set(s, ChatLanes.State.FINISHING, 0);
        }
        if (failure == null) {
            finish(s, markers, call);
            return;
        }
        try (TraceIdForLogs.MdcScope log = TraceIdForLogs.inMdc(traceId)) {
            if (Failures.isPause(failure)) {
                hold(s, failure);
            } else {
                retryLater(s, failure);
            }
        }
    }

    /** Acknowledge, delete, mark: retried while Redis refuses, the entry keeping its lane meanwhile. */
    private void finish(ChatLanes.Slot s, Map<String, String> markers, EntryScripts.Call call) {
        StreamEntry e = s.entry;
        String nextHead;
        try {
            nextHead = store.finish(e, config.getGroup(), markers, config.getMarkerTtlS(), config.getScripts(), call);
            availability.ok();
        } catch (RuntimeException x) {
            availability.failed(x);
            long delay = availability.retryDelayMs();
            LOG.warn("{}: entry {} is done but could not be acknowledged ({}); trying again in {} ms",
                    e.stream(), e.id(), x.getMessage(), delay);
            schedule(() -> finish(s, markers, call), delay);
            return;
        }
        synchronized (this) {
            lanes.remove(s);
            if (e.ordered() && nextHead != null) {
                lanes.confirmHead(e.stream(), e.chat(), nextHead);
            }
            pumpLocked();
            notifyAll();
        }
    }

    /** Paused: keep the entry, in its place, without using an attempt; look again shortly. */
    private void hold(ChatLanes.Slot s, Exception failure) {
        long delay = PAUSE_RECHECK_MS;
        if (Failures.isRedisUnavailable(failure)) {
            availability.failed(failure);
            delay = availability.retryDelayMs();
        }
        config.getEvents().held(s.entry.instance(), s.entry.id(), s.entry.delivery(), failure);
        synchronized (this) {
            lanes.set(s, ChatLanes.State.HELD, System.currentTimeMillis() + delay);
            notifyAll();
        }
    }

    /** A counted attempt failed: count it in Redis, retry after back-off. */
    private void retryLater(ChatLanes.Slot s, Exception failure) {
        StreamEntry e = s.entry;
        try {
            store.countRetry(e);
        } catch (RuntimeException x) {
            // the attempt cannot be recorded: hold it; it is tried again without a new attempt number
            hold(s, x);
            return;
        }
        long delay = backoff.delayMs(e.delivery());
        config.getEvents().retrying(e.instance(), e.id(), e.delivery(), delay, failure);
        synchronized (this) {
            s.entry = e.nextAttempt(e.delivery() + 1);
            lanes.set(s, ChatLanes.State.RETRY_WAIT, System.currentTimeMillis() + delay);
            notifyAll();
        }
    }

    /** Lanes whose first entry waits for an earlier entry held elsewhere: ask Redis whose turn it is. */
    private void pollHeads() {
        List<StreamEntry> firsts;
        synchronized (this) {
            firsts = lanes.unconfirmedFirsts();
        }
        if (firsts.isEmpty()) {
            synchronized (this) {
                pumpLocked();
            }
            return;
        }
        List<StreamStore.Head> heads = store.heads(config.getGroup(), firsts);
        synchronized (this) {
            for (int i = 0; i < firsts.size(); i++) {
                StreamEntry e = firsts.get(i);
                if (heads.get(i) == StreamStore.Head.GO) {
                    lanes.confirmHead(e.stream(), e.chat(), e.member());
                } else if (heads.get(i) == StreamStore.Head.GONE) {
                    // another worker took it over (this one stalled past claim idle) and finished it: let go,
                    // or the chat would wait on it forever
                    ChatLanes.Slot s = lanes.slot(e.stream(), e.id());
                    if (s != null && s.state == ChatLanes.State.WAITING) {
                        ready.remove(s);
                        lanes.remove(s);
                        LOG.info("{}: entry {} was finished by another worker; dropped", e.stream(), e.id());
                    }
                }
            }
            pumpLocked();
        }
    }

    private void schedule(Runnable task, long delayMs) {
        if (timer.isShutdown()) {
            return;
        }
        timer.schedule(guard(task), delayMs, TimeUnit.MILLISECONDS);
    }

    private Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (Failures.isRedisUnavailable(e)) {
                    availability.failed(e);
                }
                if (running) {
                    LOG.warn("{}: background step failed: {}", config.getKind(), e.getMessage());
                }
            }
        };
    }

    // ---- health ----

    /**
     * Why this consumer cannot make progress right now (empty when it can): its reader stopped, or Redis
     * refuses or does not answer its reads and writes.
     */
    public String problem() {
        if (!isStarted() || poller == null) {
            return "not started";
        }
        if (!poller.healthy()) {
            return "reader stopped";
        }
        return availability.problem();
    }

    /** Entries this consumer holds, by state (for tests, health and metrics). */
    public synchronized Map<String, Integer> heldByState() {
        Map<String, Integer> out = new HashMap<>();
        for (ChatLanes.State st : ChatLanes.State.values()) {
            out.put(st.name().toLowerCase(), lanes.count(st));
        }
        return out;
    }
}
