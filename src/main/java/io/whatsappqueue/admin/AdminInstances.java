package io.whatsappqueue.admin;

import java.util.List;

import io.whatsappqueue.config.Settings;

/**
 * Resolves the {@code ?instance=} of an admin call: absent means the first of WA_INSTANCES; anything else
 * must be a valid name (422) this deployment serves (404). Checked before any Redis key is named, so a
 * rejected name never reaches Redis (the previous system created streams for any name).
 */
public final class AdminInstances {
    private final List<String> served;

    public AdminInstances(List<String> served) {
        this.served = List.copyOf(served);
    }

    public String resolve(String requested) {
        if (requested == null || requested.isBlank()) {
            return served.get(0);
        }
        String name = requested.trim();
        if (!Settings.INSTANCE_NAME.matcher(name).matches()) {
            throw new AdminException(422, "invalid_instance", "Instance '" + printable(name)
                    + "' is not a valid instance name (letters, digits, '_', '.', '-'; at most 64; pattern "
                    + Settings.INSTANCE_NAME.pattern() + ").");
        }
        if (!served.contains(name)) {
            throw new AdminException(404, "unknown_instance", "Instance '" + name
                    + "' is not served by this deployment (not in WA_INSTANCES).");
        }
        return name;
    }

    public List<String> all() {
        return served;
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 64 ? p.substring(0, 64) + "…" : p;
    }
}
