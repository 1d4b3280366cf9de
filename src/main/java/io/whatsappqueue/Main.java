package io.whatsappqueue;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.config.ConfigException;

/**
 * Starts the service. Exits non-zero on any start-up failure, printing one line that names the problem:
 * Redisson's non-daemon threads would otherwise keep a failed process alive.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        org.apache.camel.main.Main main = new org.apache.camel.main.Main();
        main.configure().addConfiguration(AppConfiguration.class);
        int code;
        try {
            code = main.run(args);
        } catch (Exception e) {
            StartupFailures.record(e);
            code = 1;
        }
        Throwable failure = StartupFailures.last();
        if (failure != null) {
            reportStartupFailure(failure);
            code = code == 0 ? 1 : code;
        }
        System.exit(code);
    }

    private static void reportStartupFailure(Throwable e) {
        Throwable c = e;
        while (c != null && !(c instanceof ConfigException) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String msg = c instanceof ConfigException ? c.getMessage() : String.valueOf(e.getMessage());
        System.err.println("whatsapp-queue: cannot start: " + msg);
    }
}
