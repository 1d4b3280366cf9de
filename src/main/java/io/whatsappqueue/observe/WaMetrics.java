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
    /** Instance label for requests whose instance is not (yet) known to be one of ours. */
    public static final String NO_INSTANCE = "unknown";

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

    /** A duplicate that was not processed again: {@code stage} is webhook or send. */
    public void deduplicated(String instance, String stage) {
        Counter.builder("wa.messages.deduplicated").description("Duplicates recognised and not processed again")
                .tag("instance", instance).tag("stage", stage).register(registry).increment();
    }

    /** Webhook requests by outcome; {@code instance} is {@value #NO_INSTANCE} until it is known to be ours. */
    public void webhook(String instance, String outcome) {
        tagged("wa.webhook.events", "Webhook requests by outcome", instance, "outcome", outcome).increment();
    }

    /** A reply produced by the reply step; {@code source} is fast_path, llm, knowledge or fallback. */
    public void reply(String instance, String source) {
        tagged("wa.ai.replies", "Replies generated, by source (fallbacks included)", instance, "source", source).increment();
    }

    /** {@code reason}: circuit_open, timeout or error. */
    public void aiFallback(String instance, String reason) {
        tagged("wa.ai.fallbacks", "AI calls answered with the fallback text", instance, "reason", reason).increment();
    }

    public void aiDuration(String instance, Duration d) {
        timer("wa.ai.duration", "Duration of AI calls", instance).record(d);
    }

    public void pausedChatSkipped(String instance) {
        counter("wa.inbound.paused.skipped", "Inbound messages not answered because the chat is paused", instance).increment();
    }

    public void humanTakeover(String instance) {
        counter("wa.human.takeovers", "Chats paused because staff answered from the phone", instance).increment();
    }

    public void typingFailed(String instance) {
        counter("wa.typing.failures", "Typing indicators Evolution did not take (best effort)", instance).increment();
    }

    public void poisonEntry(String instance) {
        counter("wa.inbound.poison", "Inbound stream entries that could not be read and were dropped", instance).increment();
    }

    private Counter tagged(String name, String description, String instance, String tag, String value) {
        return Counter.builder(name).description(description).tag("instance", instance).tag(tag, value).register(registry);
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
