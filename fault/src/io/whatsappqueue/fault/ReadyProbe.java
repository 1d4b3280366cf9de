package io.whatsappqueue.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * Polls one app's /observe/health/ready every 500 ms (2 s client timeout; no answer counts as not ready) on its own
 * thread and keeps every sample, so a scenario can ask afterwards whether readiness was DOWN during a fault and UP
 * again after it.
 */
final class ReadyProbe implements AutoCloseable {
    /** One answer: {@code atMs} is when it arrived (an answer that waited out a frozen Redis tells the state after). */
    record Sample(long atMs, boolean up) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ReadyProbe(App app) {
        thread = new Thread(() -> {
            while (running) {
                long at = System.currentTimeMillis();
                boolean up = app.ready();
                synchronized (samples) {
                    samples.add(new Sample(System.currentTimeMillis(), up));   // when the answer came
                }
                long rest = 500 - (System.currentTimeMillis() - at);
                try {
                    Thread.sleep(Math.max(0, rest));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }, "ready-probe-" + app.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Samples taken in [fromMs, toMs] that answered UP. */
    List<Sample> upBetween(long fromMs, long toMs) {
        List<Sample> out = new ArrayList<>();
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.atMs() >= fromMs && s.atMs() <= toMs && s.up()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    int samplesBetween(long fromMs, long toMs) {
        synchronized (samples) {
            return (int) samples.stream().filter(s -> s.atMs() >= fromMs && s.atMs() <= toMs).count();
        }
    }

    /** First sample at or after {@code fromMs} that answered UP, or -1. */
    long firstUpAfter(long fromMs) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.atMs() >= fromMs && s.up()).mapToLong(Sample::atMs).findFirst().orElse(-1);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
