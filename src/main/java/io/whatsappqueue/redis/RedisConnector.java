package io.whatsappqueue.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.config.ConfigException;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.EqualJitterDelay;

/** Builds the one RedissonClient of the process and checks that the server is Redis 7.0 or newer. */
public final class RedisConnector {

    private RedisConnector() {
    }

    public static RedissonClient connect(String url, int poolSize) {
        Config cfg = new Config();
        cfg.setCodec(StringCodec.INSTANCE);        // stream fields stay readable JSON text (CAMEL_NOTES §3)
        cfg.setUseScriptCache(true);               // EVALSHA with transparent reload
        cfg.setThreads(4);
        cfg.setNettyThreads(Math.max(4, Math.min(16, poolSize / 2)));
        cfg.useSingleServer()
                .setAddress(url)
                .setConnectionMinimumIdleSize(Math.min(4, poolSize))
                .setConnectionPoolSize(poolSize)
                .setSubscriptionConnectionMinimumIdleSize(0)
                .setSubscriptionConnectionPoolSize(2)
                .setConnectTimeout(3000)
                .setTimeout(3000)
                .setRetryAttempts(2)
                // after Redis comes back (restart, failover) reconnect within a second, not Redisson's 10 s cap,
                // so the engine recovers by itself within 10 s of a fault ending (docs/guarantees.md I7)
                .setReconnectionDelay(new EqualJitterDelay(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .setRetryDelay(new EqualJitterDelay(Duration.ofMillis(100), Duration.ofMillis(500)));
        RedissonClient client;
        try {
            client = Redisson.create(cfg);
        } catch (RuntimeException e) {
            throw new ConfigException("REDIS_URL: cannot connect to Redis at " + redact(url) + ": " + e.getMessage(), e);
        }
        try {
            requireRedis7(client);
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
        return client;
    }

    static void requireRedis7(RedissonClient client) {
        Map<String, String> info = client.getRedisNodes(RedisNodes.SINGLE).getInstance()
                .info(org.redisson.api.redisnode.RedisNode.InfoSection.SERVER);
        io.whatsappqueue.config.RedisVersionCheck.require(info.getOrDefault("redis_version", "0"));
    }

    public static String redact(String url) {
        return url == null ? null : url.replaceAll("//[^@/]*@", "//***@");
    }
}
