package io.whatsappqueue.observe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The one place for the {@code wa_*} counters and histograms of DESIGN §8, all labelled {@code instance},
 * registered in the Micrometer registry Camel scrapes at /observe/metrics. Histogram buckets run from
 * milliseconds to tens of seconds.
 */
public final class WaMetrics {
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;

    public WaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void sent(String instance, long sendNanos) {
        counter("wa.messages.sent", "Replies Evolution accepted", instance).increment();
        timer("wa.send.duration", "Time of the Evolution sendText call", instance).record(sendNanos, TimeUnit.NANOSECONDS);
    }

    /** From the webhook receiving the patient's message to Evolution accepting our reply. */
    public void endToEnd(String instance, Duration d) {
        timer("wa.end.to.end", "Webhook received to reply accepted by Evolution", instance).record(d);
    }

    public void failed(String instance) {
        counter("wa.messages.failed", "Send attempts that failed (retried, held or dead-lettered)", instance).increment();
    }

    public void deadLettered(String instance) {
        counter("wa.messages.dead.lettered", "Entries moved to the dead-letter queue", instance).increment();
    }

    /** A duplicate that was not processed again: {@code stage} is webhook, enqueue or send. */
    public void deduplicated(String instance, String stage) {
        Counter.builder("wa.messages.deduplicated").description("Duplicates recognised and not processed again")
                .tag("instance", instance).tag("stage", stage).register(registry).increment();
    }

    public void webhookEvent(String instance, String outcome) {
        Counter.builder("wa.webhook.events").description("Webhook requests by outcome")
                .tag("instance", instance == null ? "" : instance).tag("outcome", outcome).register(registry).increment();
    }

    /** One AI reply produced (fallbacks included), and how long the AI step took. */
    public void aiReply(String instance, long nanos, boolean fallback) {
        counter("wa.ai.replies", "Replies produced by the reply step, fallbacks included", instance).increment();
        if (fallback) {
            counter("wa.ai.fallbacks", "Replies that used the fallback text (AI timeout, open circuit, error)", instance)
                    .increment();
        }
        timer("wa.ai.duration", "Time to produce a reply", instance).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String description, String instance) {
        return Counter.builder(name).description(description).tag("instance", instance).register(registry);
    }

    private Timer timer(String name, String description, String instance) {
        return Timer.builder(name).description(description).tag("instance", instance)
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    }
}
