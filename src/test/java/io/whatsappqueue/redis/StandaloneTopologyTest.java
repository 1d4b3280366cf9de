package io.whatsappqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.config.ConfigException;
import io.whatsappqueue.support.RedisTopology;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.Webhooks;
import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.WorkerProcess;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/**
 * Standalone mode against a real redis-server whose default user needs a password, with an ACL user and a TLS
 * port (issue 10 point 1): the app runs the round trip over {@code rediss://} with the CA file, as the ACL user,
 * in database 3; and every way of pointing it at the wrong Redis stops start-up with the one line an operator
 * needs (wrong password, no password, no such database, not a cluster, nothing listening, an unknown CA).
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneTopologyTest {
    private static final String INSTANCE = "topo-standalone";
    private static final RedisTopology REDIS = RedisTopology.standalone();
    private static final String WHERE = "127.0.0.1:" + REDIS.port();

    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).closing(REDIS).with(Map.of(
            "REDIS_URL", "rediss://" + RedisTopology.USER + ":" + RedisTopology.USER_PASSWORD + "@127.0.0.1:" + REDIS.tlsPort() + "/3",
            "REDIS_TLS_CA_FILE", REDIS.caFile().toString(), "WA_ROLE", "all", "WA_MAX_MESSAGE_AGE_S", "0"));

    @Test
    void overTlsAsAnAclUserThePatientIsAnsweredAndTheKeysLandInDatabaseThree() {
        assertThat(post(INSTANCE, "447700900311")).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> APP.evolution().sendsTo("447700900311") == 1);
        assertThat(keys("3")).as("keys in database 3").isPositive();
        assertThat(keys("0")).as("keys in database 0").isZero();
        assertThat(REDIS.cli(REDIS.port(), "CLIENT", "LIST")).contains("user=" + RedisTopology.USER);
    }

    @Test
    void aWrongPasswordStopsStartUpSayingTheCredentialsWereRefused() {
        assertThat(failure("redis://:not-the-password@" + WHERE, null, null)).isEqualTo("REDIS_URL: Redis at " + WHERE
                + " refused the credentials (WRONGPASS: wrong user name or password): check the user and password in"
                + " REDIS_URL (user:password@ before the host) or REDIS_USERNAME / REDIS_PASSWORD (no user given: the default user)");
    }

    @Test
    void aWrongPasswordForAnAclUserNamesTheUser() {
        assertThat(failure("redis://" + WHERE, RedisTopology.USER, "not-the-password")).isEqualTo("REDIS_URL: Redis at "
                + WHERE + " refused the credentials (WRONGPASS: wrong user name or password): check the user and password in"
                + " REDIS_URL (user:password@ before the host) or REDIS_USERNAME / REDIS_PASSWORD (user wq-app)");
    }

    @Test
    void noPasswordStopsStartUpSayingRedisRequiresOne() {
        assertThat(failure("redis://" + WHERE, null, null)).isEqualTo("REDIS_URL: Redis at " + WHERE + " requires a password"
                + " (NOAUTH): check the user and password in REDIS_URL (user:password@ before the host) or REDIS_USERNAME /"
                + " REDIS_PASSWORD (no user given: the default user)");
    }

    @Test
    void aDatabaseTheServerDoesNotHaveStopsStartUpNamingIt() {
        assertThat(failure("redis://:" + RedisTopology.PASSWORD + "@" + WHERE + "/99", null, null)).isEqualTo("REDIS_URL: Redis at "
                + WHERE + " has no database 99 (ERR DB index is out of range): use an index below the server's 'databases' setting (default 16)");
    }

    @Test
    void aPlainRedisGivenAsRedisClusterStopsStartUpSayingItIsNotACluster() {
        Throwable e = catchThrowable(() -> RedisConnector.connect(new RedisTarget(RedisTarget.Mode.CLUSTER, "REDIS_CLUSTER",
                java.util.List.of("redis://" + WHERE), null, null, RedisTopology.PASSWORD, 0, false, null), 4));

        assertThat(e).isInstanceOf(ConfigException.class).hasMessage("REDIS_CLUSTER: " + WHERE + " is not a Redis Cluster node"
                + " (ERR This instance has cluster support disabled): for a single Redis set REDIS_URL instead, for Sentinel REDIS_SENTINEL");
    }

    @Test
    void nothingListeningStopsStartUpSayingSo() {
        String nowhere = "127.0.0.1:" + TestRedis.freePort();
        assertThat(failure("redis://" + nowhere, null, null)).isEqualTo("REDIS_URL: nothing answers at " + nowhere
                + " (connection refused): is Redis running and is the port right?");
    }

    @Test
    void tlsWithoutTheCaFileStopsStartUpPointingAtRedisTlsCaFile() {
        String tls = "127.0.0.1:" + REDIS.tlsPort();
        assertThat(failure("rediss://:" + RedisTopology.PASSWORD + "@" + tls, null, null))
                .startsWith("REDIS_URL: TLS with " + tls + " failed (")
                .endsWith("): check that the server speaks TLS on that port and that REDIS_TLS_CA_FILE holds the CA that signed its certificate");
    }

    @Test
    void percentEncodedCredentialsInTheUrlAreDecoded() {
        String password = "p@ss:w/rd+1 %";
        assertThat(REDIS.cli(REDIS.port(), "ACL", "SETUSER", "enc-user", "on", ">" + password, "~*", "&*", "+@all")).isEqualTo("OK");
        RedissonClient client = RedisConnector.connect("redis://enc-user:p%40ss%3Aw%2Frd+1%20%25@" + WHERE, 2);
        try {
            client.getBucket("topo-standalone-encoded").set("yes");
        } finally {
            client.shutdown();
        }
        assertThat(REDIS.cli(REDIS.port(), "GET", "topo-standalone-encoded")).isEqualTo("yes");
    }

    @Test
    void theAppPrintsTheCauseInOneLineAndExitsWithoutShowingThePassword() throws Exception {
        Map<String, String> env = new HashMap<>(TestApp.workerEnv("topo-standalone-proc", null, Map.of()));
        env.put("REDIS_URL", "redis://127.0.0.1:" + REDIS.port());
        env.put("REDIS_USERNAME", RedisTopology.USER);
        env.put("REDIS_PASSWORD", "not-the-password");
        try (WorkerProcess p = WorkerProcess.launch(env, null)) {
            assertThat(p.awaitExit(60)).isNotZero();
            assertThat(p.output()).contains("whatsapp-queue: cannot start: REDIS_URL: Redis at " + WHERE + " refused the"
                    + " credentials (WRONGPASS: wrong user name or password): check the user and password in REDIS_URL"
                    + " (user:password@ before the host) or REDIS_USERNAME / REDIS_PASSWORD (user wq-app)");
            assertThat(String.join("\n", p.output())).doesNotContain("not-the-password");
        }
    }

    private static String failure(String url, String user, String password) {
        Throwable e = catchThrowable(() -> RedisConnector.connect(RedisTarget.standalone(url, user, password, null), 2));
        assertThat(e).isInstanceOf(ConfigException.class);
        assertThat(e.getMessage()).doesNotContain("not-the-password").doesNotContain(RedisTopology.PASSWORD);
        return e.getMessage();
    }

    private static long keys(String db) {
        return REDIS.cli(REDIS.port(), "-n", db, "--scan", "--pattern", "*" + INSTANCE + "*").lines().count();
    }

    /** A patient's new text (fresh message id) to {@code instance}'s webhook; the HTTP status. */
    private static int post(String instance, String number) {
        try {
            return Webhooks.post(APP.port(), Webhooks.textMessage(instance, "TOPO" + java.util.UUID.randomUUID().toString()
                    .replace("-", "").toUpperCase(), number, "What are your opening hours on Saturday?")).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
