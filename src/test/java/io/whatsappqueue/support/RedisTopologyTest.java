package io.whatsappqueue.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The test topologies start as described and their faults do what they say (no app involved). */
class RedisTopologyTest {

    @Test
    void sentinelFailoverMakesTheReplicaMasterAndTheOldMasterFollows() {
        try (RedisTopology t = RedisTopology.sentinel()) {
            int master = t.masterPort();
            assertThat(t.sentinelAddresses().split(",")).hasSize(3);
            assertThat(t.cli(master, "SET", "k", "v")).isEqualTo("OK");

            int next = t.failover();

            assertThat(next).isNotEqualTo(master);
            assertThat(t.masterPort()).isEqualTo(next);
            assertThat(t.info(master, "role")).isEqualTo("slave");
            assertThat(t.cli(next, "GET", "k")).isEqualTo("v");
        }
    }

    @Test
    void aKilledSentinelMasterIsReplacedAndComesBackAsReplica() {
        try (RedisTopology t = RedisTopology.sentinel()) {
            int killed = t.killMaster();

            assertThat(t.masterPort()).isNotEqualTo(killed);
            assertThat(t.cli(t.masterPort(), "SET", "k", "v")).isEqualTo("OK");
            t.restart(killed);
            // Sentinel turns a returning old master into a replica only once it has reported role:master for
            // 4 publish periods (8 s) while the sentinels refresh a replica's INFO every 10 s (sentinel.c,
            // sentinelRefreshInstanceInfo): 20-30 s is normal, and 30 s was exceeded once in CI
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> "slave".equals(t.info(killed, "role")));
        }
    }

    @Test
    void clusterServesAllSlotsAndItsFailoversMoveTheSlot() {
        try (RedisTopology t = RedisTopology.cluster()) {
            assertThat(t.seedNodes().split(",")).hasSize(6);
            int first = t.masterOf("wa:{a}:x");
            assertThat(t.cli(first, "SET", "wa:{a}:x", "1")).isEqualTo("OK");

            int promoted = t.failoverMasterOf("wa:{a}:x");
            assertThat(t.masterOf("wa:{a}:x")).isEqualTo(promoted).isNotEqualTo(first);
            assertThat(t.cli(promoted, "GET", "wa:{a}:x")).isEqualTo("1");

            int killed = t.killMasterOf("wa:{a}:x");
            assertThat(killed).isEqualTo(promoted);
            assertThat(t.masterOf("wa:{a}:x")).isEqualTo(first);
            assertThat(t.cli(first, "GET", "wa:{a}:x")).isEqualTo("1");
        }
    }

    @Test
    void standaloneWantsAPasswordKnowsTheAclUserAndServesTls() {
        try (RedisTopology t = RedisTopology.standalone()) {
            assertThat(t.cli(t.port(), "PING")).isEqualTo("PONG");
            String anonymous = RedisTopology.run(java.util.List.of("redis-cli", "-p", String.valueOf(t.port()), "PING"),
                    t.caFile().getParent(), java.time.Duration.ofSeconds(10));
            assertThat(anonymous).contains("NOAUTH");
            String asUser = RedisTopology.run(java.util.List.of("redis-cli", "-p", String.valueOf(t.port()),
                    "--user", RedisTopology.USER, "--pass", RedisTopology.USER_PASSWORD, "--no-auth-warning", "ACL", "WHOAMI"),
                    t.caFile().getParent(), java.time.Duration.ofSeconds(10));
            assertThat(asUser.trim()).isEqualTo(RedisTopology.USER);
            String overTls = RedisTopology.run(java.util.List.of("redis-cli", "-p", String.valueOf(t.tlsPort()), "--tls",
                    "--cacert", t.caFile().toString(), "-a", RedisTopology.PASSWORD, "--no-auth-warning", "PING"),
                    t.caFile().getParent(), java.time.Duration.ofSeconds(10));
            assertThat(overTls.trim()).isEqualTo("PONG");
        }
    }
}
