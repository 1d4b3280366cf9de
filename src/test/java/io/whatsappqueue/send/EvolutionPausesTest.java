package io.whatsappqueue.send;

import static io.whatsappqueue.support.FakeEvolution.error;
import static io.whatsappqueue.support.FakeEvolution.sendText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.BindToRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Evolution down or refusing our key: sending pauses for the instance, nothing is dead-lettered, attempts
 * are not used up, and everything goes out once Evolution is back. Each test has its own instance.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvolutionPausesTest {
    @RegisterExtension
    static final TestApp APP = TestApp.worker("clinic-outage,clinic-badkey,clinic-redirect").with(Map.of(
            "WA_MAX_DELIVERIES", "3",
            "WA_OUTAGE_THRESHOLD", "3"));
    private static final FakeEvolution EVOLUTION = APP.evolution();

    @Test
    void evolutionOutageOfSeveralSecondsPausesSendingAndEverythingIsDeliveredAfterWithoutDeadLetters() {
        String stream = Keys.sendStream("clinic-outage");
        EVOLUTION.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/message/sendText/clinic-outage").atPriority(1)
                .willReturn(error(503, "\"Service Unavailable\"")).withId(java.util.UUID.nameUUIDFromBytes("outage".getBytes())));
        EVOLUTION.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get("/instance/connectionState/clinic-outage").atPriority(1)
                .willReturn(error(503, "\"down\"")).withId(java.util.UUID.nameUUIDFromBytes("outage-state".getBytes())));
        IntStream.range(0, 12).forEach(i -> TestRedis.addPayload(stream,
                OutboundMessages.newPayload("out-" + i, "4477009003" + String.format("%02d", i), "msg " + i, null)));

        await().atMost(Duration.ofSeconds(10)).until(() -> EVOLUTION.sends().size() >= 3);
        // down for several seconds: every failing call after the pause began is held, not counted
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
                EVOLUTION.sends().stream().filter(r -> r.getUrl().endsWith("clinic-outage")).count() < 30
                        && TestRedis.xlen(Keys.deadLetters("clinic-outage")) == 0);
        long callsDuringOutage = EVOLUTION.sends().stream().filter(r -> r.getUrl().endsWith("clinic-outage")).count();
        assertThat(callsDuringOutage).as("no hot loop against a down Evolution").isLessThan(30);
        assertThat(TestRedis.xlen(Keys.deadLetters("clinic-outage"))).isZero();

        EVOLUTION.server().removeStub(java.util.UUID.nameUUIDFromBytes("outage".getBytes()));
        EVOLUTION.server().removeStub(java.util.UUID.nameUUIDFromBytes("outage-state".getBytes()));

        await().atMost(Duration.ofSeconds(20)).until(() -> TestRedis.xlen(stream) == 0);
        IntStream.range(0, 12).forEach(i ->
                assertThat(EVOLUTION.sendsTo("4477009003" + String.format("%02d", i))).isGreaterThanOrEqualTo(1));
        assertThat(TestRedis.xlen(Keys.deadLetters("clinic-outage"))).isZero();
    }

    @Test
    void refusedApiKeyPausesTheInstanceWithoutHotLoopingOrDeadLetteringTheQueue() {
        String stream = Keys.sendStream("clinic-badkey");
        java.util.UUID stub = java.util.UUID.nameUUIDFromBytes("badkey".getBytes());
        java.util.UUID stateStub = java.util.UUID.nameUUIDFromBytes("badkey-state".getBytes());
        EVOLUTION.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/message/sendText/clinic-badkey").atPriority(1)
                .willReturn(error(401, "\"Unauthorized\"")).withId(stub));
        EVOLUTION.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get("/instance/connectionState/clinic-badkey").atPriority(1)
                .willReturn(error(401, "\"Unauthorized\"")).withId(stateStub));
        IntStream.range(0, 8).forEach(i -> TestRedis.addPayload(stream,
                OutboundMessages.newPayload("key-" + i, "4477009004" + String.format("%02d", i), "msg " + i, null)));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                EVOLUTION.sends().stream().anyMatch(r -> r.getUrl().endsWith("clinic-badkey")));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                EVOLUTION.sends().stream().filter(r -> r.getUrl().endsWith("clinic-badkey")).count() <= 8
                        && TestRedis.xlen(stream) == 8 && TestRedis.xlen(Keys.deadLetters("clinic-badkey")) == 0);
        long calls = EVOLUTION.sends().stream().filter(r -> r.getUrl().endsWith("clinic-badkey")).count();
        assertThat(calls).as("sends after a 401 stop at once; only in-flight ones hit it").isLessThanOrEqualTo(8);
        assertThat(TestRedis.xlen(stream)).isEqualTo(8);
        assertThat(TestRedis.xlen(Keys.deadLetters("clinic-badkey"))).isZero();

        EVOLUTION.server().removeStub(stub);
        EVOLUTION.server().removeStub(stateStub);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestRedis.xlen(stream) == 0);
        assertThat(TestRedis.xlen(Keys.deadLetters("clinic-badkey"))).isZero();
    }

    @Test
    void redirectIsNotSuccessAndNothingIsMarkedSent() {
        String stream = Keys.sendStream("clinic-redirect");
        java.util.UUID stub = java.util.UUID.nameUUIDFromBytes("redirect".getBytes());
        EVOLUTION.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/message/sendText/clinic-redirect").atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(301)
                        .withHeader("Location", "https://elsewhere.example/message/sendText/clinic-redirect")).withId(stub));
        TestRedis.addPayload(stream, OutboundMessages.newPayload("redir-1", "447700900500", "hello", null));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                EVOLUTION.sends().stream().anyMatch(r -> r.getUrl().endsWith("clinic-redirect")));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                !TestRedis.client().getBucket(Keys.sent("clinic-redirect", "redir-1")).isExists()
                        && TestRedis.xlen(stream) == 1 && TestRedis.xlen(Keys.deadLetters("clinic-redirect")) == 0);
        assertThat(TestRedis.client().getBucket(Keys.sent("clinic-redirect", "redir-1")).isExists()).isFalse();
        assertThat(TestRedis.xlen(stream)).isEqualTo(1);
        assertThat(TestRedis.xlen(Keys.deadLetters("clinic-redirect"))).isZero();
    }
}
