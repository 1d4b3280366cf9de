package io.whatsappqueue.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.whatsappqueue.admin.ChatControls;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.SendGate;
import org.apache.camel.BeanInject;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9.3: with the SHIPPED keyword defaults (WA_OPTOUT_KEYWORDS / WA_OPTIN_KEYWORDS not set), a patient's STOP
 * works in Russian as in English, in any case, width, punctuation or emoji around it; and a reply already
 * queued when the patient opts out is never sent.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class OptOutInEveryLanguageTest {
    private static final String INSTANCE = "acme-optout";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, overrides());

    @EndpointInject
    ProducerTemplate template;

    @BeanInject
    ChatControls chatControls;

    @BeanInject
    SendGate sendGate;

    private static Map<String, String> overrides() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("WA_ROLE", "all");
        overrides.put("WA_SEND_DELAY_MS", "0");
        overrides.put("WA_TOKENS_PER_SECOND", "0");
        // the shipped defaults, whatever an earlier test class left behind
        overrides.put("WA_OPTOUT_KEYWORDS", null);
        overrides.put("WA_OPTIN_KEYWORDS", null);
        return overrides;
    }


    @BeforeEach
    void resetPeers() {
        env.stubEvolution();
        env.wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathMatching("/message/sendText/.*"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"key\":{\"id\":\"3EB0" + UUID.randomUUID().toString().substring(0, 8) + "\"}}")));
    }

    @Test
    void shippedDefaultsKeepEveryNonAsciiKeywordIntact() throws IOException {
        assertEquals("STOP,UNSUBSCRIBE,СТОП", template.getCamelContext().getPropertiesComponent()
                .resolveProperty("WA_OPTOUT_KEYWORDS").orElseThrow());
        // Java reads application.properties as ISO-8859-1: a raw non-ASCII default would arrive garbled
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            List<String> raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines()
                    .filter(l -> !l.startsWith("#") && l.chars().anyMatch(c -> c > 0x7F)).toList();
            assertEquals(List.of(), raw, "every non-ASCII default is written as a \\uXXXX escape");
        }
    }

    @Test
    void stopInAnyCaseWidthPunctuationOrEmojiOptsOutWithTheShippedDefaults() {
        for (String stop : List.of("STOP", "Stop.", "stop 🙏", "stop🙏🏽", "ＳＴＯＰ", "ｓｔｏｐ!", "стоп", "СТОП",
                "Стоп!!!", "  «стоп»  ", "🛑 STOP 🛑", "STOP\uFE0F", "unsubscribe", "UnSubscribe 👋")) {
            assertEquals(Optional.of(true), chatControls.optKeyword(stop), stop);
        }
        for (String start : List.of("START", "start", "Start 👍", "ＳＴＡＲＴ", "start.")) {
            assertEquals(Optional.of(false), chatControls.optKeyword(start), start);
        }
        for (String other : List.of("please stop writing at night", "stopper", "стопка", "🙏", "", "СТОП СТОП")) {
            assertEquals(Optional.empty(), chatControls.optKeyword(other), other);
        }
    }

    @Test
    void patientWritingStopInRussianGetsNoMoreRepliesUntilStart() {
        String number = "447700900180";
        env.postWebhook(bytes(env.textMessage(keyId(), number, "СТОП")));
        await().atMost(Duration.ofSeconds(10)).until(() -> chatControls.isOptedOut(INSTANCE, number));

        env.postWebhook(bytes(env.textMessage(keyId(), number, "Hello, are you open today?")));
        await().atMost(Duration.ofSeconds(10)).until(() -> env.inboundBacklog() == 0);
        assertEquals(0, env.aiCalls(), "no AI reply to an opted-out patient");
        assertEquals(0, sendTextsTo(number));

        env.postWebhook(bytes(env.textMessage(keyId(), number, "Start")));
        await().atMost(Duration.ofSeconds(15)).until(() -> sendTextsTo(number) == 1);
    }

    @Test
    void replyAlreadyQueuedWhenThePatientOptsOutIsNotSent() {
        String number = "447700900181";
        env.wiremock.stubFor(get(urlPathMatching("/instance/connectionState/.*"))
                .willReturn(aResponse().withStatus(200).withBody("{\"instance\":{\"state\":\"close\"}}")));
        // WhatsApp disconnected: replies wait in the stream (the send gate holds them)
        env.postWebhook(env.fixture("29-connection-update-close.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sendGate.isPaused(INSTANCE));

        String question = keyId();
        env.postWebhook(bytes(env.textMessage(question, number, "Can I move my appointment to Friday?")));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(question).size() == 1);

        env.postWebhook(bytes(env.textMessage(keyId(), number, "стоп.")));
        await().atMost(Duration.ofSeconds(10)).until(() -> chatControls.isOptedOut(INSTANCE, number));

        env.postWebhook(env.fixture("28-connection-update-open.json"));
        await().atMost(Duration.ofSeconds(15)).until(() -> env.sendQueue().isEmpty());
        assertEquals(0, sendTextsTo(number), "the reply queued before STOP never reaches the patient");
        assertTrue(env.redis.getStream(Keys.deadLetters(INSTANCE), StringCodec.INSTANCE).size() == 0,
                "acknowledged, not dead-lettered");
    }

    private static int sendTextsTo(String number) {
        return (int) env.wiremock.findAll(postRequestedFor(urlPathEqualTo("/message/sendText/" + INSTANCE))).stream()
                .filter(r -> r.getBodyAsString().contains(number)).count();
    }

    private static String keyId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }
}
