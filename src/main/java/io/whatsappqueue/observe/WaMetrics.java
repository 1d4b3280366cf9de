package io.whatsappqueue.observe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The one place for the {@code wa_*} counters and histograms of DESIGN §8, all labelled {@code instance},
 * registered in the Micrometer registry Camel scrapes at /observe/metrics. Every family is declared once in
 * {@link #FAMILIES}, with the label values it is known to take, and {@link #register} creates each at 0 for
 * every served instance at start, so {@code rate()} and {@code increase()} alerts see a series before the
 * first event. Histogram buckets run from milliseconds to tens of seconds.
 */
public final class WaMetrics {
    /** Instance label for requests whose instance is not (yet) known to be one of ours. */
    public static final String NO_INSTANCE = "unknown";

    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    /** A counter or histogram family: its name, help text, and its second label with the values it takes. */
    record Family(String name, String description, boolean histogram, String label, List<String> values) {
        static Family counter(String name, String description) {
            return new Family(name, description, false, null, List.of());
        }

        static Family counter(String name, String description, String label, List<String> values) {
            return new Family(name, description, false, label, values);
        }

        static Family histogram(String name, String description) {
            return new Family(name, description, true, null, List.of());
        }
    }

    static final Family SENT = Family.counter("wa.messages.sent", "Replies Evolution accepted");
    static final Family FAILED = Family.counter("wa.messages.failed",
            "Send attempts that failed (retried, held or dead-lettered)");
    static final Family DEAD_LETTERED = Family.counter("wa.messages.dead.lettered", "Entries moved to the dead-letter queue");
    static final Family DEDUPLICATED = Family.counter("wa.messages.deduplicated",
            "Duplicates recognised and not processed again", "stage", List.of("webhook", "send"));
    static final Family WEBHOOK = Family.counter("wa.webhook.events", "Webhook requests by outcome", "outcome",
            List.of("accepted", "duplicate", "ignored", "connection_update", "unavailable"));
    static final Family AI_REPLIES = Family.counter("wa.ai.replies", "Replies generated, by source (fallbacks included)",
            "source", List.of("fast_path", "llm", "knowledge", "fallback", "out_of_hours", "handoff", "non_text"));
    static final Family AI_FALLBACKS = Family.counter("wa.ai.fallbacks", "AI calls answered with the fallback text",
            "reason", List.of("circuit_open", "timeout", "error"));
    static final Family PAUSED_SKIPPED = Family.counter("wa.inbound.paused.skipped",
            "Inbound messages not answered because the chat is paused");
    static final Family TAKEOVERS = Family.counter("wa.human.takeovers", "Chats paused because staff answered from the phone");
    static final Family TYPING_FAILED = Family.counter("wa.typing.failures",
            "Typing indicators Evolution did not take (best effort)");
    static final Family POISON = Family.counter("wa.inbound.poison",
            "Inbound stream entries that could not be read and were dropped");
    static final Family STATUS_CALLBACKS = Family.counter("wa.status.callbacks",
            "Status callbacks POSTed to WA_STATUS_CALLBACK_URL, by outcome (failed ones are retried)", "outcome",
            List.of("delivered", "failed"));
    static final Family SEND_DURATION = Family.histogram("wa.send.duration", "Time of the Evolution sendText call");
    static final Family END_TO_END = Family.histogram("wa.end.to.end", "Webhook received to reply accepted by Evolution");
    static final Family AI_DURATION = Family.histogram("wa.ai.duration", "Duration of AI calls");

    /** Every family, in the order /observe/metrics lists them. */
    static final List<Family> FAMILIES = List.of(SENT, FAILED, DEAD_LETTERED, DEDUPLICATED, WEBHOOK, AI_REPLIES,
            AI_FALLBACKS, PAUSED_SKIPPED, TAKEOVERS, TYPING_FAILED, POISON, STATUS_CALLBACKS, SEND_DURATION, END_TO_END, AI_DURATION);

    private final MeterRegistry registry;

    public WaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Creates every family at 0 for each instance (each known label value), so each series exists from start. */
    public void register(List<String> instances) {
        for (String instance : instances) {
            for (Family f : FAMILIES) {
                if (f.histogram()) {
                    timer(f, instance);
                } else if (f.label() == null) {
                    counter(f, instance, null);
                } else {
                    f.values().forEach(v -> counter(f, instance, v));
                }
            }
        }
    }

    public void sent(String instance, long sendNanos) {
        counter(SENT, instance, null).increment();
        timer(SEND_DURATION, instance).record(sendNanos, TimeUnit.NANOSECONDS);
    }

    /** From the webhook receiving the patient's message to Evolution accepting our reply. */
    public void endToEnd(String instance, Duration d) {
        timer(END_TO_END, instance).record(d);
    }

    public void failed(String instance) {
        counter(FAILED, instance, null).increment();
    }

    public void deadLettered(String instance) {
        counter(DEAD_LETTERED, instance, null).increment();
    }

    /** A duplicate that was not processed again: {@code stage} is webhook or send. */
    public void deduplicated(String instance, String stage) {
        counter(DEDUPLICATED, instance, stage).increment();
    }

    /** Webhook requests by outcome; {@code instance} is {@value #NO_INSTANCE} until it is known to be ours. */
    public void webhook(String instance, String outcome) {
        counter(WEBHOOK, instance, outcome).increment();
    }

    /** A reply produced by the reply step; {@code source} is fast_path, llm, knowledge, fallback, out_of_hours, handoff or non_text. */
    public void reply(String instance, String source) {
        counter(AI_REPLIES, instance, source).increment();
    }

    /** {@code reason}: circuit_open, timeout or error. */
    public void aiFallback(String instance, String reason) {
        counter(AI_FALLBACKS, instance, reason).increment();
    }

    public void aiDuration(String instance, Duration d) {
        timer(AI_DURATION, instance).record(d);
    }

    public void pausedChatSkipped(String instance) {
        counter(PAUSED_SKIPPED, instance, null).increment();
    }

    public void humanTakeover(String instance) {
        counter(TAKEOVERS, instance, null).increment();
    }

    public void typingFailed(String instance) {
        counter(TYPING_FAILED, instance, null).increment();
    }

    public void poisonEntry(String instance) {
        counter(POISON, instance, null).increment();
    }

    /** A status callback the receiver took ({@code delivered}) or not ({@code failed}, to be retried). */
    public void statusCallback(String instance, String outcome) {
        counter(STATUS_CALLBACKS, instance == null ? NO_INSTANCE : instance, outcome).increment();
    }

    private Counter counter(Family f, String instance, String labelValue) {
        Counter.Builder b = Counter.builder(f.name()).description(f.description()).tag("instance", instance);
        if (f.label() != null) {
            b.tag(f.label(), labelValue);
        }
        return b.register(registry);
    }

    private Timer timer(Family f, String instance) {
        return Timer.builder(f.name()).description(f.description()).tag("instance", instance)
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    }
}
