package io.whatsappqueue.instances;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.InstanceSource;
import org.redisson.api.RSet;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances this deployment serves right now, kept in memory and following the Redis set
 * {@code wa:instances} (DESIGN §5, §6). Every side asks here: the webhook, the admin {@code ?instance=}
 * checks, the gauges, the health check and the stream consumers ({@link InstanceSource}).
 *
 * <p>{@link #start()} adds {@code WA_INSTANCES} to the set (SADD: instances an operator added at run time
 * survive a restart) and reads it. The set is the only truth: an instance in it that is no longer in
 * {@code WA_INSTANCES} stays served until {@code DELETE /admin/instances/<name>}, because processes of one
 * deployment may run with different {@code WA_INSTANCES} during a rolling change, and a removal by one of
 * them would flap. A change announced on {@code wa:instances:added} / {@code wa:instances:removed} makes
 * every process re-read the set at once; {@link #refresh()} (the {@code instances-refresh} timer route)
 * re-reads it periodically, so a missed message costs one period. A message that does not match the set
 * (the previous system published these channels without writing a set) changes nothing.
 *
 * <p>Names read from Redis are checked with {@link InstanceNames}; an invalid one is ignored with one
 * warning and never reaches a key. Thread-safe; {@link #instances()} is a volatile read.
 */
public final class ServedInstances implements InstanceSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServedInstances.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Names listed in a log line at most; a deployment may serve hundreds. */
    private static final int LOGGED_NAMES = 20;

    /**
     * Hears the served set change. Called one change at a time, in order, never on Redisson's I/O threads;
     * keep it quick: the next change waits for it.
     */
    public interface Listener {
        void added(String instance);

        void removed(String instance);
    }

    private final RedissonClient redis;
    private final RSet<String> set;
    private final List<String> seeds;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> warnedInvalid = ConcurrentHashMap.newKeySet();
    private final AtomicLong reads = new AtomicLong();
    private final List<Integer> subscriptions = new ArrayList<>();
    /** One thread applies what an announcement made us read; changes are rare, so one is plenty. */
    private final ExecutorService announcements = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wa-instances-announcements");
        t.setDaemon(true);
        return t;
    });
    private volatile SortedSet<String> current = Collections.emptySortedSet();
    private long applied;          // guarded by this: the newest read applied, so an older one never wins
    private boolean readFailing;   // guarded by this: warn once per Redis outage, not once per period
    private boolean loaded;        // guarded by this: the first read is logged as one summary line

    /** {@code seeds}: WA_INSTANCES, already validated by the settings. */
    public ServedInstances(RedissonClient redis, List<String> seeds) {
        this.redis = redis;
        this.set = redis.getSet(Keys.INSTANCES, StringCodec.INSTANCE);
        this.seeds = List.copyOf(seeds);
    }

    /** Seeds the set, subscribes to both channels and reads the set; a Redis error stops start-up. */
    public void start() {
        if (!seeds.isEmpty()) {
            set.addAll(seeds);
        }
        for (String channel : List.of(Keys.INSTANCES_ADDED, Keys.INSTANCES_REMOVED)) {
            RTopic topic = redis.getTopic(channel, StringCodec.INSTANCE);
            // Redisson calls listeners on its I/O threads: read the set asynchronously, never block there
            subscriptions.add(topic.addListener(String.class, (ch, message) -> refreshSoon(ch.toString(), message)));
        }
        // until the set is read, the known instances are WA_INSTANCES: a first read that fails (Redis slow at
        // start) must not leave the webhook answering 422, which Evolution never retries, for every clinic
        current = Collections.unmodifiableSortedSet(new TreeSet<>(seeds));
        refresh();
        SortedSet<String> served = current;
        List<String> extra = served.stream().filter(i -> !seeds.contains(i)).toList();
        LOG.info("Serving {} instance(s) from {}: {}", served.size(), Keys.INSTANCES, sample(served));
        if (!extra.isEmpty()) {
            LOG.info("{} of them are in {} but not in WA_INSTANCES (added at run time, or left from an earlier"
                    + " WA_INSTANCES); stop serving one with DELETE /admin/instances/<name>: {}",
                    extra.size(), Keys.INSTANCES, sample(extra));
        }
    }

    /** The instances served now, sorted; never null; an unmodifiable snapshot. */
    @Override
    public Set<String> instances() {
        return current;
    }

    public boolean serves(String instance) {
        return current.contains(instance);
    }

    /** WA_INSTANCES of this process, in its order. */
    public List<String> seeds() {
        return seeds;
    }

    /**
     * Adds {@code listener} and calls its {@code added} for every instance served now, then for every
     * later change; so a listener needs no separate start-up step.
     */
    public synchronized void listen(Listener listener) {
        listeners.add(listener);
        for (String instance : current) {
            notifyAdded(listener, instance);
        }
    }

    /**
     * SADD and announce on {@code wa:instances:added}; this process follows at once, the others within a
     * refresh period at worst. {@code instance} must be a valid name (checked by the caller's answer).
     *
     * @return true when it was not served before
     */
    public boolean add(String instance) {
        requireValid(instance);
        boolean added = set.add(instance);
        announce(Keys.INSTANCES_ADDED, instance, "added");
        refresh();
        return added;
    }

    /**
     * SREM and announce on {@code wa:instances:removed}. The instance's streams, dead letters and other keys
     * stay in Redis: adding it again resumes where it stopped.
     *
     * @return true when it was served
     */
    public boolean remove(String instance) {
        requireValid(instance);
        boolean removed = set.remove(instance);
        announce(Keys.INSTANCES_REMOVED, instance, "removed");
        refresh();
        return removed;
    }

    /**
     * Re-reads the set now (route step of {@code instances-refresh}); a Redis error keeps the last set.
     * Reads: nothing from the exchange. Sets: nothing (the in-memory served set).
     */
    public void refresh() {
        long seq = reads.incrementAndGet();
        Set<String> names;
        try {
            names = set.readAll();
            if (names.isEmpty() && !seeds.isEmpty()) {
                // no set at all: Redis lost its data (restarted empty) or nobody configured one. Serving nothing
                // would silently stop every clinic, so WA_INSTANCES seeds it again (docs/operate.md)
                set.addAll(seeds);
                names = set.readAll();
                LOG.warn("{} was empty or missing; seeded it again from WA_INSTANCES", Keys.INSTANCES);
            }
        } catch (RedisException e) {
            readFailed(e);
            return;
        }
        apply(seq, names);
    }

    @Override
    public void close() {
        announcements.shutdown();
        if (redis.isShutdown() || redis.isShuttingDown()) {
            return;
        }
        List<String> channels = List.of(Keys.INSTANCES_ADDED, Keys.INSTANCES_REMOVED);
        for (int i = 0; i < subscriptions.size(); i++) {
            redis.getTopic(channels.get(i), StringCodec.INSTANCE).removeListener(subscriptions.get(i));
        }
        subscriptions.clear();
    }

    private void refreshSoon(String channel, String message) {
        LOG.debug("{} announced {}; re-reading {}", channel, InstanceNames.safeForLog(message), Keys.INSTANCES);
        long seq = reads.incrementAndGet();
        // completed off Redisson's I/O thread, so a listener may call Redis
        set.readAllAsync().toCompletableFuture().whenCompleteAsync((names, error) -> {
            if (error != null) {
                readFailed(error);
            } else {
                apply(seq, names);
            }
        }, announcements);
    }

    private synchronized void apply(long seq, Collection<String> names) {
        if (readFailing) {
            readFailing = false;
            LOG.info("{} can be read again", Keys.INSTANCES);
        }
        if (seq < applied) {
            return;
        }
        applied = seq;
        TreeSet<String> next = new TreeSet<>();
        for (String name : names) {
            if (InstanceNames.isValid(name)) {
                next.add(name);
            } else if (warnedInvalid.add(name)) {
                LOG.warn("{} holds \"{}\", which is not a valid instance name ({}); it is ignored",
                        Keys.INSTANCES, InstanceNames.safeForLog(name), InstanceNames.PATTERN.pattern());
            }
        }
        SortedSet<String> before = current;
        boolean logEach = loaded;
        loaded = true;
        if (next.equals(before)) {
            return;
        }
        current = Collections.unmodifiableSortedSet(next);
        for (String instance : before) {
            if (!next.contains(instance)) {
                LOG.info("Instance {} is no longer served; its streams and dead letters stay in Redis", instance);
                listeners.forEach(l -> notifyRemoved(l, instance));
            }
        }
        for (String instance : next) {
            if (!before.contains(instance)) {
                if (logEach) {
                    LOG.info("Instance {} is served", instance);
                }
                listeners.forEach(l -> notifyAdded(l, instance));
            }
        }
    }

    private synchronized void readFailed(Throwable e) {
        if (!readFailing) {
            readFailing = true;
            LOG.warn("Cannot read {} ({}); serving the last known {} instance(s) until it can be read",
                    Keys.INSTANCES, e.toString(), current.size());
        }
    }

    private void announce(String channel, String instance, String action) {
        // the previous system's InstanceNotifier message, so its subscribers can read ours
        ObjectNode m = JSON.createObjectNode();
        m.put("instance_name", instance);
        m.putNull("organization_id");
        m.put("action", action);
        redis.getTopic(channel, StringCodec.INSTANCE).publish(m.toString());
    }

    private static void notifyAdded(Listener l, String instance) {
        try {
            l.added(instance);
        } catch (RuntimeException e) {
            LOG.warn("A listener failed on instance {} added: {}", instance, e.toString(), e);
        }
    }

    private static void notifyRemoved(Listener l, String instance) {
        try {
            l.removed(instance);
        } catch (RuntimeException e) {
            LOG.warn("A listener failed on instance {} removed: {}", instance, e.toString(), e);
        }
    }

    private static void requireValid(String instance) {
        if (!InstanceNames.isValid(instance)) {
            throw new IllegalArgumentException("not a valid instance name: " + InstanceNames.safeForLog(instance));
        }
    }

    private static String sample(Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        return list.size() <= LOGGED_NAMES ? list.toString()
                : list.subList(0, LOGGED_NAMES) + " and " + (list.size() - LOGGED_NAMES) + " more";
    }
}
