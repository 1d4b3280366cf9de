package io.whatsappqueue.stream;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with ±25 % jitter: base·2^(attempt-1), capped. */
public final class RetryBackoff {
    private final long baseMs;
    private final long maxMs;

    public RetryBackoff(long baseMs, long maxMs) {
        this.baseMs = baseMs;
        this.maxMs = maxMs;
    }

    /** Delay before the attempt after {@code failedAttempt} (1-based). */
    public long delayMs(int failedAttempt) {
        double exp = baseMs * Math.pow(2, Math.max(0, Math.min(30, failedAttempt - 1)));
        double capped = Math.min(maxMs, exp);
        double jittered = capped * ThreadLocalRandom.current().nextDouble(0.75, 1.25);
        return Math.max(1, Math.min(maxMs, Math.round(jittered)));
    }
}
