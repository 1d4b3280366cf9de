package io.whatsappqueue.admin;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.instances.ServedInstances;

/**
 * Resolves the {@code ?instance=} of an admin call against the instances served now ({@link ServedInstances},
 * Redis set {@code wa:instances}): absent means the first of WA_INSTANCES still served (else the first served);
 * anything else must be a valid name (422) that is served (404). Checked before any Redis key is named, so a
 * rejected name never reaches Redis (the previous system created streams for any name).
 */
public final class AdminInstances {
    private final ServedInstances served;

    public AdminInstances(ServedInstances served) {
        this.served = served;
    }

    public String resolve(String requested) {
        if (requested == null || requested.isBlank()) {
            return defaultInstance();
        }
        String name = valid(requested, "instance");
        if (!served.serves(name)) {
            throw unknown(name);
        }
        return name;
    }

    /** The trimmed name, or 422 invalid_instance naming {@code field}. */
    static String valid(String requested, String field) {
        String name = requested == null ? "" : requested.trim();
        if (!InstanceNames.isValid(name)) {
            throw new AdminException(422, "invalid_instance", "'" + field + "' is not a valid instance name: '"
                    + InstanceNames.safeForLog(name) + "' (letters, digits, '_', '.', '-'; starting with a letter or"
                    + " digit; at most 64; pattern " + InstanceNames.PATTERN.pattern() + ").");
        }
        return name;
    }

    static AdminException unknown(String name) {
        return new AdminException(404, "unknown_instance", "Instance '" + name + "' is not served by this deployment"
                + " (not in wa:instances; add it with POST /admin/instances).");
    }

    /** Every instance served now: those of WA_INSTANCES in its order, then the others sorted. */
    public List<String> all() {
        Set<String> now = served.instances();
        Set<String> out = new LinkedHashSet<>();
        served.seeds().stream().filter(now::contains).forEach(out::add);
        out.addAll(now);
        return List.copyOf(out);
    }

    private String defaultInstance() {
        for (String seed : served.seeds()) {
            if (served.serves(seed)) {
                return seed;
            }
        }
        return served.instances().stream().findFirst().orElseThrow(() -> new AdminException(404, "no_instances",
                "This deployment serves no instance now; add one with POST /admin/instances {\"name\":\"<instance>\"}."));
    }
}
