package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.whatsappqueue.inbound.BurstDebounceTest.newKeyId;
import static io.whatsappqueue.inbound.InboundTestEnv.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WA_DEBOUNCE_MS=0: every message is answered on its own, as before debounce existed, and debounce costs nothing:
 * no burst key is written and no process looks for due bursts.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class DebounceOffTest {
    private static final String INSTANCE = "acme-burst-off";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of("WA_DEBOUNCE_MS", "0"));

    @EndpointInject
    ProducerTemplate template;

    @Test
    void withDebounceOffEachMessageGetsItsOwnReplyAndNoBurstIsKept() {
        String number = "447700900740";
        List<String> ids = List.of(newKeyId(), newKeyId(), newKeyId());
        String[] texts = {"Hi", "I need to move my appointment", "tomorrow is fine"};
        for (int i = 0; i < ids.size(); i++) {
            env.postWebhook(bytes(env.textMessage(ids.get(i), number, texts[i])));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> env.repliesTo(id).size() == 1));
        // "Hi" has the greeting fast path; the other two each had their own AI call
        assertThat(env.aiUserMessages()).containsExactly("I need to move my appointment", "tomorrow is fine");
        assertThat(env.redis.getKeys().getKeysStreamByPattern("wa:" + INSTANCE + ":burst*").toList()).isEmpty();
        assertThat(env.redis.getKeys().countExists(Keys.debounceDue(INSTANCE))).isZero();
        assertThat(template.getCamelContext().getRoute("debounce-fire")).as("debounce route not built").isNull();
    }
}
