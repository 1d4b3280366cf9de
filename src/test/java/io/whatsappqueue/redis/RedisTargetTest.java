package io.whatsappqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;

import io.whatsappqueue.config.ConfigException;
import org.junit.jupiter.api.Test;

/** How REDIS_URL is read (DESIGN §3): address, database index, credentials; no password in what it prints. */
class RedisTargetTest {

    @Test
    void theUrlGivesAddressDatabaseAndPercentDecodedCredentials() {
        RedisTarget t = RedisTarget.standalone("rediss://app:p%40ss+1@redis.example:6380/3", null, null, "/ca.pem");

        assertThat(t.addresses()).isEqualTo(List.of("rediss://redis.example:6380"));
        assertThat(t.database()).isEqualTo(3);
        assertThat(t.username()).isEqualTo("app");
        assertThat(t.password()).isEqualTo("p@ss+1");
        assertThat(t.tls()).isTrue();
        assertThat(t.toString()).isEqualTo("rediss://redis.example:6380/3 user app (password set)");
    }

    @Test
    void aUrlWithoutPortMeans6379AndWithoutPathDatabaseZero() {
        RedisTarget t = RedisTarget.standalone("redis://redis", null, null, null);

        assertThat(t.addresses()).isEqualTo(List.of("redis://redis:6379"));
        assertThat(t.database()).isZero();
        assertThat(t.tls()).isFalse();
    }

    @Test
    void redisUsernameAndPasswordFillWhatTheUrlLeavesOut() {
        assertThat(RedisTarget.standalone("redis://h:1", "env-user", "env-pass", null))
                .extracting(RedisTarget::username, RedisTarget::password).containsExactly("env-user", "env-pass");
        assertThat(RedisTarget.standalone("redis://:url-pass@h:1", "env-user", "env-pass", null))
                .extracting(RedisTarget::username, RedisTarget::password).containsExactly("env-user", "url-pass");
        assertThat(RedisTarget.standalone("redis://url-user@h:1", "env-user", "env-pass", null))
                .extracting(RedisTarget::username, RedisTarget::password).containsExactly("url-user", "env-pass");
    }

    @Test
    void aPathThatIsNoDatabaseIndexIsRefusedWithoutShowingThePassword() {
        Throwable e = catchThrowable(() -> RedisTarget.standalone("redis://:secret-pw@h:1/cache", null, null, null));

        assertThat(e).isInstanceOf(ConfigException.class).hasMessage("REDIS_URL: the path must be a database index"
                + " (redis://host:port/3), got /cache in redis://***@h:1/cache");
    }

    @Test
    void clusterAndSentinelNodesGivenAsRedissAreReachedOverTls() {
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of(
                "REDIS_CLUSTER", "rediss://node-1.example:6379, node-2.example:6379"));
        io.whatsappqueue.config.Settings s = io.whatsappqueue.config.Settings.load(name -> env.getOrDefault(name,
                defaults().get(name)));
        RedisTarget t = RedisTarget.of(s, null);

        assertThat(t.tls()).isTrue();
        assertThat(t.addresses()).containsExactly("rediss://node-1.example:6379", "rediss://node-2.example:6379");
    }

    /** The defaults application.properties gives each setting ({@code NAME = {{env:NAME:default}}}, nested or not). */
    private static java.util.Map<String, String> defaults() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        try (java.io.InputStream in = RedisTargetTest.class.getResourceAsStream("/application.properties")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\w+) = (\\{\\{.*\\}\\})$").matcher(line.trim());
                if (m.matches()) {
                    String v = m.group(2);
                    while (v.startsWith("{{env:")) {
                        v = v.substring(v.indexOf(':', 6) + 1, v.length() - 2);
                    }
                    out.put(m.group(1), v);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
