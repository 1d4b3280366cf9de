package io.whatsappqueue.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per admin action: the action, the instance and the counts. Never message text or numbers:
 * callers pass counts and ids only.
 */
final class AdminAudit {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.admin.audit");

    private AdminAudit() {
    }

    /** {@code keyValues}: alternating names and values, e.g. {@code "moved_to_dlq", 3}. */
    static void action(String action, String instance, Object... keyValues) {
        LOG.info("admin action={} instance={}{}", action, instance, pairs(keyValues));
    }

    /** Read-only calls that monitors poll (health) are logged at debug level only. */
    static void read(String action, String instance, Object... keyValues) {
        LOG.debug("admin action={} instance={}{}", action, instance, pairs(keyValues));
    }

    private static String pairs(Object... keyValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            b.append(' ').append(keyValues[i]).append('=').append(keyValues[i + 1]);
        }
        return b.toString();
    }
}
