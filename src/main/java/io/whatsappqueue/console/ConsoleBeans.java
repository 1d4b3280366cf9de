package io.whatsappqueue.console;

import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.whatsappqueue.admin.AdminAccess;
import io.whatsappqueue.admin.AdminInstances;
import io.whatsappqueue.admin.ChatAdmin;
import io.whatsappqueue.admin.ChatControls;
import io.whatsappqueue.admin.DeadLetterBrowser;
import io.whatsappqueue.admin.StreamHealth;
import io.whatsappqueue.config.ConfigException;
import io.whatsappqueue.instances.ServedInstances;
import org.apache.camel.spi.Registry;
import org.redisson.api.RedissonClient;

/**
 * Binds the console's beans (routes/console.camel.yaml) next to the admin beans they call, which must be bound
 * already (AppConfiguration binds the admin API first). Reads WA_CONSOLE_SESSION_MINUTES (5–10080, default 480).
 */
public final class ConsoleBeans {
    static final long MIN_MINUTES = 5;
    static final long MAX_MINUTES = 7 * 24 * 60;

    private ConsoleBeans() {
    }

    public static void bind(Registry r, Function<String, String> source, RedissonClient redis) {
        long minutes = sessionMinutes(source.apply("WA_CONSOLE_SESSION_MINUTES"));
        StreamHealth health = r.lookupByNameAndType("streamHealth", StreamHealth.class);
        AdminInstances instances = new AdminInstances(r.lookupByNameAndType("servedInstances", ServedInstances.class));
        ConsoleChats chats = new ConsoleChats(r.lookupByNameAndType("chatControls", ChatControls.class),
                r.lookupByNameAndType("chatAdmin", ChatAdmin.class), instances);
        ConsoleOverview overview = new ConsoleOverview(health, r.lookupByNameAndType("metricsRegistry", MeterRegistry.class));
        r.bind("consoleAccess", new ConsoleAccess(r.lookupByNameAndType("adminAccess", AdminAccess.class),
                new ConsoleSessions(redis, minutes)));
        r.bind("consoleActions", new ConsoleActions());
        r.bind(ConsoleHeaderFilter.NAME, new ConsoleHeaderFilter());
        r.bind("consoleOverview", overview);
        r.bind("consolePages", new ConsolePages(overview));
        r.bind("consoleChats", chats);
        r.bind("instancePage", new InstancePage(health, r.lookupByNameAndType("deadLetterBrowser", DeadLetterBrowser.class),
                chats, new PendingEntries(redis)));
    }

    static long sessionMinutes(String value) {
        String v = value == null || value.isBlank() ? "480" : value.trim();
        try {
            long n = Long.parseLong(v);
            if (n >= MIN_MINUTES && n <= MAX_MINUTES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new ConfigException("WA_CONSOLE_SESSION_MINUTES must be a whole number from " + MIN_MINUTES + " to "
                + MAX_MINUTES + ", got '" + v + "'");
    }
}
