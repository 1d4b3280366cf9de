package io.whatsappqueue.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.config.ConfigException;
import io.whatsappqueue.config.RedisVersionCheck;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode.InfoSection;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.EqualJitterDelay;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SubscriptionMode;

/**
 * Builds the one RedissonClient of the process for the topology of {@link RedisTarget} (standalone, Sentinel,
 * Cluster; DESIGN §3) and checks that every master is Redis 7.0 or newer and is the kind of node the settings
 * say. Reads and writes go to masters only (the engine's scripts write). A failure to start is a
 * ConfigException with one line naming the cause ({@link RedisStartupFailure}).
 */
public final class RedisConnector {
    /** How often Redisson asks the sentinels or the cluster for the current masters, ms: a failover is followed within seconds. */
    static final int TOPOLOGY_SCAN_MS = 1000;

    private RedisConnector() {
    }

    /** A standalone Redis at {@code url} (credentials and database index from the URL). */
    public static RedissonClient connect(String url, int poolSize) {
        return connect(RedisTarget.standalone(url, null, null, null), poolSize);
    }

    /**
     * Connects to {@code target} with at most {@code poolSize} connections per master, then checks the masters.
     * Throws ConfigException (one line, no password) when Redis cannot be used.
     */
    public static RedissonClient connect(RedisTarget target, int poolSize) {
        Config cfg = new Config();
        cfg.setCodec(StringCodec.INSTANCE);        // stream fields stay readable JSON text (CAMEL_NOTES §3)
        cfg.setUseScriptCache(true);               // EVALSHA with transparent reload
        cfg.setThreads(4);
        cfg.setNettyThreads(Math.max(4, Math.min(16, poolSize / 2)));
        switch (target.mode()) {
            case STANDALONE -> common(cfg.useSingleServer()
                    .setAddress(target.addresses().get(0))
                    .setDatabase(target.database())
                    .setConnectionMinimumIdleSize(Math.min(4, poolSize))
                    .setConnectionPoolSize(poolSize)
                    .setSubscriptionConnectionMinimumIdleSize(0)
                    .setSubscriptionConnectionPoolSize(2), target);
            case SENTINEL -> {
                SentinelServersConfig sentinel = cfg.useSentinelServers();
                sentinel.setSentinelAddresses(new ArrayList<>(target.addresses()));
                masterOnly(common(sentinel.setMasterName(target.masterName()).setScanInterval(TOPOLOGY_SCAN_MS), target), poolSize);
            }
            case CLUSTER -> {
                ClusterServersConfig cluster = cfg.useClusterServers();
                cluster.setNodeAddresses(new ArrayList<>(target.addresses()));
                masterOnly(common(cluster.setScanInterval(TOPOLOGY_SCAN_MS), target), poolSize);
            }
        }
        RedissonClient client;
        try {
            client = Redisson.create(cfg);
        } catch (RuntimeException e) {
            throw RedisStartupFailure.explain(target, e);
        }
        try {
            checkServers(client, target);
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw e instanceof ConfigException ce ? ce : RedisStartupFailure.explain(target, e);
        }
        return client;
    }

    /** Timeouts, retries, credentials and TLS trust, the same in every mode. */
    private static <T extends BaseConfig<T>> T common(T c, RedisTarget target) {
        c.setConnectTimeout(3000)
                .setTimeout(3000)
                .setRetryAttempts(2)
                .setRetryDelay(new EqualJitterDelay(Duration.ofMillis(100), Duration.ofMillis(500)))
                .setUsername(target.username())
                .setPassword(target.password());
        // after Redis comes back (restart, failover) reconnect within a second, not Redisson's 10 s cap,
        // so the engine recovers by itself within 10 s of a fault ending (docs/guarantees.md I7)
        c.setReconnectionDelay(new EqualJitterDelay(Duration.ofMillis(100), Duration.ofSeconds(1)));
        if (target.tls() && target.caFile() != null) {
            c.setSslTrustManagerFactory(PemTrust.of(target.caFile()));
        }
        return c;
    }

    /** Sentinel and Cluster: every command and subscription on the masters; replicas only stand by. */
    private static <T extends BaseMasterSlaveServersConfig<T>> void masterOnly(T c, int poolSize) {
        c.setReadMode(ReadMode.MASTER)
                .setSubscriptionMode(SubscriptionMode.MASTER)
                .setMasterConnectionMinimumIdleSize(Math.min(4, poolSize))
                .setMasterConnectionPoolSize(poolSize)
                .setSlaveConnectionMinimumIdleSize(1)
                .setSlaveConnectionPoolSize(2)
                .setSubscriptionConnectionMinimumIdleSize(0)
                .setSubscriptionConnectionPoolSize(2);
    }

    /** Every master is Redis 7+, and a standalone URL names a plain node (not a Cluster node or a sentinel). */
    static void checkServers(RedissonClient client, RedisTarget target) {
        List<Map<String, String>> masters = switch (target.mode()) {
            case STANDALONE -> List.of(client.getRedisNodes(RedisNodes.SINGLE).getInstance().info(InfoSection.SERVER));
            case SENTINEL -> List.of(client.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster().info(InfoSection.SERVER));
            case CLUSTER -> client.getRedisNodes(RedisNodes.CLUSTER).getMasters().stream()
                    .map(m -> m.info(InfoSection.SERVER)).toList();
        };
        for (Map<String, String> info : masters) {
            if (target.mode() == RedisTarget.Mode.STANDALONE) {
                RedisStartupFailure.requireStandalone(target, info.getOrDefault("redis_mode", "standalone"));
            }
            RedisVersionCheck.require(info.getOrDefault("redis_version", "0"), target.variable());
        }
    }

    public static String redact(String url) {
        return url == null ? null : url.replaceAll("//[^@/]*@", "//***@");
    }
}
