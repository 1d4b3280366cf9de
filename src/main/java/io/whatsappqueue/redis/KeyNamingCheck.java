package io.whatsappqueue.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check for a change of key naming (WA_KEY_HASHTAGS, or a move to Cluster; DESIGN §6): entries left in
 * the streams of the other naming are never read under this one, so they would wait for good. Each served
 * instance's send and inbound streams under the other naming are counted (XLEN, one key per call, so it works in
 * Cluster mode too) and a backlog found there is logged as a warning naming the keys and what to do.
 */
public final class KeyNamingCheck {
    private static final Logger LOG = LoggerFactory.getLogger(KeyNamingCheck.class);

    private KeyNamingCheck() {
    }

    /** The streams of the other naming that hold entries, as {@code key=count}; logs a warning when any do. */
    public static List<String> warnAboutStrandedEntries(RedissonClient redis, Collection<String> instances) {
        List<String> stranded = new ArrayList<>();
        for (String instance : instances) {
            for (String kind : List.of("stream", "inbound")) {
                String other = Keys.stream(instance, kind, !Keys.hashTags());
                long n = redis.getStream(other, StringCodec.INSTANCE).size();
                if (n > 0) {
                    stranded.add(other + "=" + n);
                }
            }
        }
        if (!stranded.isEmpty()) {
            LOG.warn("Entries under the other key naming are not read with WA_KEY_HASHTAGS={}: {}. Run once more with"
                    + " WA_KEY_HASHTAGS={} (and no REDIS_CLUSTER) until they are sent, then switch.",
                    Keys.hashTags(), stranded, !Keys.hashTags());
        }
        return stranded;
    }
}
