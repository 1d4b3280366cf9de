package io.whatsappqueue.console;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sends per minute of one instance, from the {@code wa_messages_sent_total} counter ({@code WaMetrics}) of this
 * process: the counter's growth over the last minute of samples, one sample per overview read. So it counts the
 * sends of the worker in this process (WA_ROLE=all); a web-only process shows 0 (Prometheus sums every process).
 */
final class SendRate {
    private static final long WINDOW_MS = 60_000;

    private record Sample(long atMs, double count) {
    }

    private final MeterRegistry registry;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

    SendRate(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sends per minute over the samples of the last minute (0 with fewer than two samples). */
    double perMinute(String instance) {
        Counter c = registry.find("wa.messages.sent").tag("instance", instance).counter();
        double count = c == null ? 0 : c.count();
        long now = System.currentTimeMillis();
        Deque<Sample> d = samples.computeIfAbsent(instance, i -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(new Sample(now, count));
            while (d.size() > 2 && now - d.peekFirst().atMs() > WINDOW_MS) {
                d.removeFirst();
            }
            Sample first = d.peekFirst();
            long span = now - first.atMs();
            return span <= 0 ? 0 : Math.round((count - first.count()) * 60_000.0 / span * 10) / 10.0;
        }
    }

    /** The value of the gauge {@code name} of {@code instance} (QueueGauges), or -1 when it is not registered. */
    double gauge(String name, String instance) {
        var g = registry.find(name).tag("instance", instance).gauge();
        return g == null ? -1 : g.value();
    }
}
