package io.whatsappqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.Webhooks;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WA_REDIS_WAIT_REPLICAS=1 (DESIGN §3, issue 10 point 2) on a master whose replica comes and goes: while no
 * replica acknowledges, a webhook answers 503 (Evolution retries; the retry is de-duplicated) and an entry whose
 * send went out is not counted finished (it stays in the stream, is not sent again) and readiness is DOWN; once a
 * replica holds the writes, everything finishes, each reply was sent once, and a webhook's 200 means the replica
 * already holds the event.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedWritesTest {
    private static final int MASTER_PORT = TestRedis.freePort();
    private static final int REPLICA_PORT = TestRedis.freePort();
    private static final EmbeddedRedis MASTER = EmbeddedRedis.start(null, MASTER_PORT);
    private static final EmbeddedRedis REPLICA = EmbeddedRedis.start(null, REPLICA_PORT);
    private static final String INSTANCE = "wait-a";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final TestApp APP = TestApp.worker(INSTANCE).with(Map.of("REDIS_URL", MASTER.url(), "WA_ROLE", "all",
            "WA_REDIS_WAIT_REPLICAS", "1", "WA_REDIS_WAIT_TIMEOUT_MS", "300", "WA_MAX_MESSAGE_AGE_S", "0",
            "WA_STREAM_CLAIM_IDLE_MS", "3000"));

    @AfterAll
    void stopServers() {
        REPLICA.close();
        MASTER.close();
    }

    @Test
    @Order(1)
    void withoutAReplicaTheWebhookAnswers503AndASentReplyIsNotCountedFinished() throws Exception {
        HttpResponse<String> answer = Webhooks.post(APP.port(), Webhooks.textMessage(INSTANCE, "WAIT0001", "447700900901", "Hello?"));
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("\"error\"");
        // an event that writes nothing (a group message is ignored) does not wait for replicas
        HttpResponse<String> ignored = Webhooks.post(APP.port(), Webhooks.textMessage(INSTANCE, "WAITG001",
                "120363025246125486", "Hi all").replace("@s.whatsapp.net", "@g.us"));
        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(ignored.body()).contains("ignored");

        // the event was written to the master all the same: its reply goes out once; its finish is not counted
        // while no replica holds it (the worker keeps it and tries again: never sent twice) and readiness says so
        await().atMost(Duration.ofSeconds(20)).until(() -> APP.evolution().sendsTo("447700900901") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness() == 503);
        // and readiness says why, in the redis check itself
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(APP.managementUrl("/observe/health")))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("Writes are not acknowledged by the replicas: NOREPLICAS: 0 of 1 replica(s) acknowledged");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                readiness() == 503 && APP.evolution().sendsTo("447700900901") == 1);
    }

    @Test
    @Order(2)
    void onceAReplicaHoldsTheWritesEverythingFinishesEachReplySentOnce() throws Exception {
        TestRedis.command(REPLICA_PORT, "REPLICAOF", "127.0.0.1", String.valueOf(MASTER_PORT));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                TestRedis.command(REPLICA_PORT, "INFO", "replication").contains("master_link_status:up"));

        await().atMost(Duration.ofSeconds(20)).until(() -> xlen(Keys.sendStream(INSTANCE)) == 0
                && xlen(Keys.inboundStream(INSTANCE)) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness() == 200);
        // Evolution's retry of the 503 is a duplicate; a new event is accepted, and the replica has it already
        assertThat(Webhooks.post(APP.port(), Webhooks.textMessage(INSTANCE, "WAIT0001", "447700900901", "Hello?")).body())
                .contains("duplicate");
        HttpResponse<String> accepted = Webhooks.post(APP.port(),
                Webhooks.textMessage(INSTANCE, "WAIT0002", "447700900902", "Are you open?"));
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(TestRedis.command(REPLICA_PORT, "EXISTS", Keys.inboundDedupe(INSTANCE, "WAIT0002"))).isEqualTo("1");

        await().atMost(Duration.ofSeconds(20)).until(() -> APP.evolution().sendsTo("447700900902") == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                APP.evolution().sendsTo("447700900901") == 1 && APP.evolution().sendsTo("447700900902") == 1);
    }

    private static long xlen(String key) {
        return Long.parseLong(TestRedis.command(MASTER_PORT, "XLEN", key));
    }

    private static int readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(APP.managementUrl("/observe/health/ready")))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
