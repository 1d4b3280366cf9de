package io.whatsappqueue.observe;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A health question that needs Redis, asked in the background every {@code everyMs} on a Camel-managed
 * thread, so /observe/health answers at once from the latest answer instead of waiting on Redis: with Redis
 * frozen a command hangs for Redisson's timeouts and retries (seconds), and the health endpoint with it.
 * An answer older than {@code staleAfterMs} counts as no answer (the question is hanging or failing).
 */
public final class BackgroundProbe<T> {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundProbe.class);

    /** The latest answer and when it came; {@code value} null with {@code failure} set when the question failed. */
    public record Answer<T>(T value, String failure, long atMs) {
        public long ageMs() {
            return System.currentTimeMillis() - atMs;
        }
    }

    private final String name;
    private final Supplier<T> question;
    private final long staleAfterMs;
    private volatile Answer<T> latest;
    private volatile long lastAskedAtMs;

    public BackgroundProbe(CamelContext context, String name, Supplier<T> question, long everyMs, long staleAfterMs) {
        this.name = name;
        this.question = question;
        this.staleAfterMs = staleAfterMs;
        this.lastAskedAtMs = System.currentTimeMillis();
        ScheduledExecutorService timer = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "health-probe-" + name);
        timer.scheduleWithFixedDelay(this::ask, 0, everyMs, TimeUnit.MILLISECONDS);
    }

    /** The latest answer if it is fresh; empty while the question hangs, has failed for too long, or never ran. */
    public java.util.Optional<Answer<T>> fresh() {
        Answer<T> a = latest;
        return a != null && a.ageMs() <= staleAfterMs ? java.util.Optional.of(a) : java.util.Optional.empty();
    }

    /** Milliseconds since the last answer (or since the probe started, when none came yet). */
    public long silenceMs() {
        Answer<T> a = latest;
        return System.currentTimeMillis() - (a == null ? lastAskedAtMs : a.atMs());
    }

    private void ask() {
        try {
            latest = new Answer<>(question.get(), null, System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.debug("health probe {} failed: {}", name, e.toString());
            latest = new Answer<>(null, e.getClass().getSimpleName(), System.currentTimeMillis());
        }
    }
}
