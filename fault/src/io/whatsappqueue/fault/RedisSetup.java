package io.whatsappqueue.fault;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.redisson.api.RedissonClient;

/**
 * The Redis a scenario runs against, as the app and the suite see it: the environment that points an app process
 * at it ({@code REDIS_URL}, {@code REDIS_SENTINEL}, {@code REDIS_CLUSTER}), a {@link Resp} on the node that holds a
 * key now (the master, after any failover), the suite's own client through the app's {@code RedisConnector} (to
 * queue replies as a producer would), and the logs to show when a scenario fails.
 */
interface RedisSetup {
    Map<String, String> appEnv();

    /** The node that serves {@code key} now; throws when none does (no master known, node down). */
    Resp respFor(String key);

    /** A client through the app's own connector, for {@link Replies}; the caller shuts it down. */
    RedissonClient connect();

    List<Path> logs();

    /** One line: what runs where (for notes). */
    String describe();
}
