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

    private volatile long readsFailingSince;
    private volatile long writesFailingSince;
    /** A fresh process has seen no outage: it may take over stopped workers' entries at once. */
    private volatile long servingSince = 1;
    private volatile String lastProblem = "";
    private int consecutiveFailures;

    /** A read (the blocking XREADGROUP) worked. Reads work at maxmemory, so they say nothing about writes. */
    synchronized void readOk() {
        readsFailingSince = 0;
        settle();
    }

    /** A write (finish, heartbeat, registration) worked. */
    synchronized void ok() {
        writesFailingSince = 0;
        consecutiveFailures = 0;
        settle();
    }

    synchronized void readFailed(Throwable t) {
        if (readsFailingSince == 0) {
            readsFailingSince = System.currentTimeMillis();
        }
        note(t);
    }

    /** A write failed (or a step whose kind is unknown): Redis refuses or does not answer. */
    synchronized void failed(Throwable t) {
        if (writesFailingSince == 0) {
            writesFailingSince = System.currentTimeMillis();
        }
        note(t);
    }

    private void note(Throwable t) {
        consecutiveFailures++;
        lastProblem = String.valueOf(t.getMessage());
        servingSince = 0;
    }

    private void settle() {
        if (readsFailingSince == 0 && writesFailingSince == 0 && servingSince == 0) {
            servingSince = System.currentTimeMillis();
        }
    }

    boolean failing() {
        return readsFailingSince != 0 || writesFailingSince != 0;
    }

    /** Serving reads and writes without a failure for at least {@code ms}. */
    boolean servingFor(long ms) {
        return !failing() && servingSince != 0 && System.currentTimeMillis() - servingSince >= ms;
    }

    /** How long to wait before the next try of something Redis refused: 200 ms doubling to 2 s. */
    synchronized long retryDelayMs() {
        long d = MIN_DELAY_MS << Math.min(4, Math.max(0, consecutiveFailures - 1));
        return Math.min(MAX_DELAY_MS, d);
    }

    String problem() {
        if (!failing()) {
            return "";
        }
        long since = Math.min(readsFailingSince == 0 ? Long.MAX_VALUE : readsFailingSince,
                writesFailingSince == 0 ? Long.MAX_VALUE : writesFailingSince);
        return "Redis refuses " + (writesFailingSince != 0 ? "writes" : "reads") + " or does not answer since "
                + (System.currentTimeMillis() - since) / 1000 + " s: " + lastProblem;
    }
}
