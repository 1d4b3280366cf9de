package io.whatsappqueue.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.WorkerProcess;
import org.junit.jupiter.api.Test;

/** A bad setting stops start-up with one clear line naming the variable, and the process exits non-zero. */
class StartupValidationTest {

    private static String failingStart(Map<String, String> env) throws InterruptedException {
        Map<String, String> all = new HashMap<>(Map.of("REDIS_URL", TestRedis.url(), "WA_ROLE", "worker"));
        all.putAll(env);
        try (WorkerProcess p = WorkerProcess.launch(all, null)) {
            int code = p.awaitExit(60);
            assertThat(code).isNotZero();
            return p.output().stream().filter(l -> l.startsWith("whatsapp-queue: cannot start:")).findFirst()
                    .orElseThrow(() -> new AssertionError("no start-up error line in:\n" + String.join("\n", p.output())));
        }
    }

    @Test
    void aSettingRefusedAfterTheEmbeddedRedisStartedLeavesNoRedisServerRunning() throws Exception {
        // no REDIS_URL: the embedded Redis starts first; WA_OUT_OF_HOURS is only read when the reply beans are built
        Path data;
        try (WorkerProcess p = WorkerProcess.launch(Map.of("WA_ROLE", "all", "WA_OUT_OF_HOURS", "bogus"), null)) {
            assertThat(p.awaitExit(60)).isNotZero();
            assertThat(p.output()).anyMatch(l -> l.startsWith("whatsapp-queue: cannot start:") && l.contains("WA_OUT_OF_HOURS"));
            assertThat(p.output()).anyMatch(l -> l.contains("Embedded Redis"));
            data = p.dataDir();
        }
        // the embedded redis-server runs in the data dir (its command line does not name it)
        assertThat(ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.contains("redis-server")).orElse(false))
                .filter(h -> {
                    try {
                        return java.nio.file.Files.readSymbolicLink(Path.of("/proc", String.valueOf(h.pid()), "cwd"))
                                .equals(data);
                    } catch (java.io.IOException | UnsupportedOperationException e) {
                        return false;
                    }
                }))
                .as("redis-server processes still running in the failed start's data dir %s", data).isEmpty();
    }

    @Test
    void negativeRateStopsStartUpNamingTheVariable() throws Exception {
        assertThat(failingStart(Map.of("WA_TOKENS_PER_SECOND", "-1"))).contains("WA_TOKENS_PER_SECOND").contains("-1");
    }

    @Test
    void unparsableEvolutionUrlStopsStartUp() throws Exception {
        assertThat(failingStart(Map.of("EVOLUTION_SERVER_URL", "evolution:::8080"))).contains("EVOLUTION_SERVER_URL");
    }

    @Test
    void unknownRoleStopsStartUp() throws Exception {
        assertThat(failingStart(Map.of("WA_ROLE", "sender"))).contains("WA_ROLE").contains("sender");
    }

    @Test
    void portInUseStopsStartUpInsteadOfRunningWithoutAListener() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            String line = failingStart(Map.of("PORT", String.valueOf(taken.getLocalPort())));
            assertThat(line).contains("PORT=" + taken.getLocalPort()).contains("in use");
        }
    }

    @Test
    void instanceNameThatCouldNotBeAKeyStopsStartUp() throws Exception {
        assertThat(failingStart(Map.of("WA_INSTANCES", "good,bad name"))).contains("WA_INSTANCES");
    }

    @Test
    void instancesRefreshSlowerThanFiveSecondsStopsStartUp() throws Exception {
        // every process must follow a change to wa:instances within 5 s (DESIGN §5)
        assertThat(failingStart(Map.of("WA_INSTANCES_REFRESH_MS", "60000"))).contains("WA_INSTANCES_REFRESH_MS")
                .contains("60000");
    }

    @Test
    void redisOlderThanSevenIsRefusedWithAClearMessage() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RedisVersionCheck.require("6.2.14")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("6.2.14").hasMessageContaining("7.0");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RedisVersionCheck.require("6.2.14", "REDIS_CLUSTER")))
                .hasMessageStartingWith("REDIS_CLUSTER: Redis 6.2.14 is too old");
        RedisVersionCheck.require("7.0.15");
        RedisVersionCheck.require("7.4.1");
    }
}
