package io.whatsappqueue.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Run by {@link LoggingConfigTest} in a JVM of its own: logs through SLF4J as the application does. */
public final class LogFormatProbe {

    private LogFormatProbe() {
    }

    public static void main(String[] args) {
        Logger ours = LoggerFactory.getLogger(LogFormatProbe.class);
        ours.info("probe info");
        ours.warn("probe warn");
        LoggerFactory.getLogger("org.redisson.connection.Probe").info("noisy info");
    }
}
