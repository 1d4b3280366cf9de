package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The inbound side's Prometheus series (DESIGN §8): webhook outcomes, de-duplicated events, AI replies and
 * fallbacks, AI call duration, skipped paused chats, typing-indicator failures. Label values come from
 * closed sets or from allow-listed instance names, never from payload text.
 *
 * <p>Camel's micrometer-prometheus service binds its registry while the context starts, after the beans are
 * built; the registry is therefore looked up on first use.
 */
public final class InboundMetrics {
    /** Instance label for requests whose instance is not (yet) known to be one of ours. */
    public static final String NO_INSTANCE = "unknown";

    private final CamelContext context;
    private volatile MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public InboundMetrics(CamelContext context) {
        this.context = context;
    }

    /** For unit tests and tools. */
    InboundMetrics(MeterRegistry registry) {
        this.context = null;
        this.registry = registry;
    }

    public void webhook(String instance, String outcome) {
        counter("wa.webhook.events", "Webhook requests by outcome", instance, "outcome", outcome).increment();
    }

    public void deduplicated(String instance) {
        counter("wa.messages.deduplicated", "Webhook events dropped as a repeat of an accepted one",
                instance, null, null).increment();
    }

    /** @param source fast_path, llm, knowledge or fallback */
    public void reply(String instance, String source) {
        counter("wa.ai.replies", "Replies generated, by source", instance, "source", source).increment();
    }

    /** @param reason circuit_open, timeout or error */
    public void aiFallback(String instance, String reason) {
        counter("wa.ai.fallbacks", "AI calls answered with the fallback text", instance, "reason", reason)
                .increment();
    }

    public void aiDuration(String instance, Duration d) {
        timers.computeIfAbsent(instance, i -> Timer.builder("wa.ai.duration")
                .description("Duration of AI calls")
                .tag("instance", i)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry())).record(d);
    }

    public void pausedChatSkipped(String instance) {
        counter("wa.inbound.paused.skipped", "Inbound messages not answered because the chat is paused",
                instance, null, null).increment();
    }

    public void humanTakeover(String instance) {
        counter("wa.human.takeovers", "Chats paused because staff answered from the phone",
                instance, null, null).increment();
    }

    public void typingFailed(String instance) {
        counter("wa.typing.failures", "Typing indicators Evolution did not take (best effort)",
                instance, null, null).increment();
    }

    public void poisonEntry(String instance) {
        counter("wa.inbound.poison", "Inbound stream entries that could not be read and were dropped",
                instance, null, null).increment();
    }

    private Counter counter(String name, String help, String instance, String tag, String value) {
        String key = name + '|' + instance + '|' + value;
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> {
                Counter.Builder b = Counter.builder(name).description(help).tag("instance", instance);
                if (tag != null) {
                    b.tag(tag, value);
                }
                return b.register(registry());
            });
        }
        return c;
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                if (registry == null) {
                    MeterRegistry found = context == null ? null : context.getRegistry().findSingleByType(MeterRegistry.class);
                    // metrics disabled (camel.metrics.enabled=false): count anyway, nobody scrapes
                    registry = found != null ? found : new SimpleMeterRegistry();
                }
                r = registry;
            }
        }
        return r;
    }
}
