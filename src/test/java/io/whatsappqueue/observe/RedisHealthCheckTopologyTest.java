package io.whatsappqueue.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.redis.RedisConnector;
import io.whatsappqueue.redis.RedisTarget;
import io.whatsappqueue.redis.ReplicaBarrier;
import io.whatsappqueue.support.RedisTopology;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The Redis readiness check in Sentinel and Cluster mode (issue 10): its probe reaches the masters the app writes
 * to, so a healthy Sentinel-guarded or Cluster Redis reads UP (a single-node PING read DOWN, "Redis unreachable:
 * IllegalArgumentException", for ever: Redisson has no single node there), and it reads UP within 10 s after a
 * Sentinel failover.
 */
class RedisHealthCheckTopologyTest {

    @Test
    void aSentinelGuardedMasterReadsUpAndUpAgainAfterAFailover() throws Exception {
        try (RedisTopology redis = RedisTopology.sentinel(); DefaultCamelContext camel = new DefaultCamelContext()) {
            RedissonClient client = RedisConnector.connect(new RedisTarget(RedisTarget.Mode.SENTINEL, "REDIS_SENTINEL",
                    addresses(redis.sentinelAddresses()), RedisTopology.MASTER_NAME, null, null, 0, false, null), 4);
            try {
                RedisHealthCheck check = new RedisHealthCheck(camel, ReplicaBarrier.off(client));
                awaitUp(check);

                redis.failover();

                awaitUp(check);
            } finally {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aThreeMasterClusterReadsUp() throws Exception {
        try (RedisTopology redis = RedisTopology.cluster(); DefaultCamelContext camel = new DefaultCamelContext()) {
            RedissonClient client = RedisConnector.connect(new RedisTarget(RedisTarget.Mode.CLUSTER, "REDIS_CLUSTER",
                    addresses(redis.seedNodes()), null, null, null, 0, false, null), 4);
            try {
                awaitUp(new RedisHealthCheck(camel, ReplicaBarrier.off(client)));
            } finally {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitUp(RedisHealthCheck check) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HealthCheck.Result r = check.call(Map.of());
            assertThat(r.getState()).as(r.getMessage().orElse("")).isEqualTo(HealthCheck.State.UP);
        });
    }

    private static List<String> addresses(String hostPorts) {
        return Arrays.stream(hostPorts.split(",")).map(a -> "redis://" + a).toList();
    }
}
