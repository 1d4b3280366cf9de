package io.whatsappqueue.observe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.SendGate;
import io.whatsappqueue.stream.ConsumerLiveness;
import io.whatsappqueue.stream.StreamStore;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamGroup;

/**
 * Gauges of every served instance (following {@link ServedInstances}: added and removed with it), read from
 * Redis at scrape time (cached for two seconds, so a busy scraper cannot hammer Redis): wa_queue_depth, wa_queue_pending, wa_dlq_depth, wa_consumers (live ones only) and
 * wa_evolution_connected (0 while sending is paused: Evolution down, disconnected or refusing our key).
 */
public final class QueueGauges {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QueueGauges.class);
    private static final long CACHE_MS = 2000;

    private final RedissonClient redis;
    private final StreamStore store;
    private final ConsumerLiveness liveness;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    private record Snapshot(long at, double depth, double pending, double dlq, double consumers, double connected,
                            double scheduled, double callbacks) {
    }

    public QueueGauges(RedissonClient redis, StreamStore store, ConsumerLiveness liveness) {
        this.redis = redis;
        this.store = store;
        this.liveness = liveness;
    }

    /** Registers the gauges of every served instance, and of each one added later; removes a removed one's. */
    public void follow(MeterRegistry registry, ServedInstances served) {
        served.listen(new ServedInstances.Listener() {
            @Override
            public void added(String instance) {
                register(registry, instance);
            }

            @Override
            public void removed(String instance) {
                List<Meter> gone = meters.remove(instance);
                if (gone != null) {
                    gone.forEach(registry::remove);
                }
                cache.remove(instance);
            }
        });
    }

    private void register(MeterRegistry registry, String instance) {
        meters.put(instance, List.of(
            gauge(registry, "wa.queue.depth", "Undelivered replies in wa:<instance>:stream (XLEN)", instance, Snapshot::depth),
            gauge(registry, "wa.queue.pending", "Replies read by a worker and not yet acknowledged", instance, Snapshot::pending),
            gauge(registry, "wa.dlq.depth", "Entries in wa:<instance>:dlq", instance, Snapshot::dlq),
            gauge(registry, "wa.consumers", "Live consumers of the send stream", instance, Snapshot::consumers),
            gauge(registry, "wa.evolution.connected", "1 while sending may go on, 0 while paused", instance, Snapshot::connected),
            gauge(registry, "wa.messages.scheduled", "API messages waiting for their send_at in wa:<instance>:scheduled",
                    instance, Snapshot::scheduled),
            gauge(registry, "wa.status.callbacks.backlog", "Status callbacks not yet taken by the receiver"
                    + " (wa:<instance>:callbacks)", instance, Snapshot::callbacks)));
    }

    private Meter gauge(MeterRegistry registry, String name, String description, String instance,
                        ToDoubleFunction<Snapshot> value) {
        return Gauge.builder(name, this, g -> value.applyAsDouble(g.snapshot(instance)))
                .description(description).tag("instance", instance).strongReference(true).register(registry);
    }

    private Snapshot snapshot(String instance) {
        Snapshot s = cache.get(instance);
        long now = System.currentTimeMillis();
        if (s != null && now - s.at() < CACHE_MS) {
            return s;
        }
        s = read(instance, now);
        cache.put(instance, s);
        return s;
    }

    private Snapshot read(String instance, long now) {
        try {
            String key = Keys.sendStream(instance);
            RStream<String, String> stream = store.stream(key);
            double depth = stream.isExists() ? stream.size() : 0;
            double pending = 0;
            double consumers = 0;
            for (StreamGroup g : store.groups(key)) {
                if (g.getName().equals(Keys.SEND_GROUP)) {
                    pending = g.getPending();
                    java.util.Set<String> live = new java.util.HashSet<>();
                    liveness.alive(key, stream.listConsumers(Keys.SEND_GROUP)).forEach(c -> live.add(c.getName()));
                    // a worker beating but not (yet) in the group, e.g. right after destroy-recreate, is live
                    live.addAll(BeatingConsumers.of(redis, key).keySet());
                    consumers = live.size();
                }
            }
            RStream<String, String> dlq = store.stream(Keys.deadLetters(instance));
            double dlqDepth = dlq.isExists() ? dlq.size() : 0;
            double connected = SendGate.pauseSeenInRedis(redis, instance).isPresent() ? 0 : 1;
            double scheduled = redis.getScoredSortedSet(Keys.scheduled(instance)).size();
            RStream<String, String> callbacks = store.stream(Keys.statusCallbacks(instance));
            double callbackBacklog = callbacks.isExists() ? callbacks.size() : 0;
            return new Snapshot(now, depth, pending, dlqDepth, consumers, connected, scheduled, callbackBacklog);
        } catch (RuntimeException e) {
            // Redis unreachable: report NaN (Prometheus shows the gap) rather than a reassuring zero
            LOG.warn("Cannot read queue gauges of instance {}: {}", instance, e.toString());
            return new Snapshot(now, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }
}
