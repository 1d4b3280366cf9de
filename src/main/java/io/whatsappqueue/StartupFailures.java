package io.whatsappqueue;

/**
 * Camel main logs a failed start and returns an exit code; the configuration class records its own
 * failure here so {@link Main} can print the one line that names the bad setting.
 */
public final class StartupFailures {
    private static volatile Throwable last;

    private StartupFailures() {
    }

    public static void record(Throwable t) {
        last = t;
    }

    public static Throwable last() {
        return last;
    }
}
