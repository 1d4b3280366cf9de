package io.whatsappqueue.stream;

/**
 * Whether Redis is serving a consumer right now, from the outcome of its own reads and writes (not a ping: a
 * Redis at maxmemory answers pings but refuses writes). Drives readiness (I7), the back-off of steps that
 * wait for Redis, and holds reclaims back until Redis has been serving for a while, so a worker that only
 * lost Redis for a moment finishes its own entries before another takes them over (I2).
 */
final class RedisAvailability {
    private static final long MIN_DELAY_MS = 200;
    private static final long MAX_DELAY_MS = 2000;

    private volatile long failingSince;
    private volatile long servingSince = System.currentTimeMillis();
    private volatile String lastProblem = "";
    private int consecutiveFailures;

    synchronized void ok() {
        if (failingSince != 0) {
            failingSince = 0;
            servingSince = System.currentTimeMillis();
        }
        consecutiveFailures = 0;
    }

    synchronized void failed(Throwable t) {
        if (failingSince == 0) {
            failingSince = System.currentTimeMillis();
        }
        consecutiveFailures++;
        lastProblem = String.valueOf(t.getMessage());
    }

    boolean failing() {
        return failingSince != 0;
    }

    /** Serving without a failure for at least {@code ms}. */
    boolean servingFor(long ms) {
        return failingSince == 0 && System.currentTimeMillis() - servingSince >= ms;
    }

    /** How long to wait before the next try of something Redis refused: 200 ms doubling to 2 s. */
    synchronized long retryDelayMs() {
        long d = MIN_DELAY_MS << Math.min(4, Math.max(0, consecutiveFailures - 1));
        return Math.min(MAX_DELAY_MS, d);
    }

    String problem() {
        return failing() ? "Redis refuses or does not answer since "
                + (System.currentTimeMillis() - failingSince) / 1000 + " s: " + lastProblem : "";
    }
}
