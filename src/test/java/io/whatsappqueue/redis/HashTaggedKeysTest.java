package io.whatsappqueue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.Webhooks;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WA_KEY_HASHTAGS=true on a standalone Redis (DESIGN §6): the round trip works and every key of an instance is
 * written as {@code wa:{<inst>}:…}, the enqueue marker too, so each script's keys share one hash slot and the
 * same data can move to Cluster later. The previous system's names are not written at all.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class HashTaggedKeysTest {
    @RegisterExtension
    static final TestApp APP = TestApp.worker("tag-a,tag-b").with(Map.of("WA_ROLE", "all", "WA_KEY_HASHTAGS", "true",
            "WA_MAX_MESSAGE_AGE_S", "0"));

    @Test
    void everyKeyOfAnInstanceCarriesItsHashTagAndARepliesReachThePatient() throws Exception {
        assertThat(Webhooks.post(APP.port(), Webhooks.textMessage("tag-a", "TAGA0001", "447700900811", "Are you open today?"))
                .body()).contains("accepted");
        assertThat(Webhooks.post(APP.port(), Webhooks.textMessage("tag-b", "TAGB0001", "447700900812", "Where are you?"))
                .body()).contains("accepted");

        await().atMost(Duration.ofSeconds(20)).until(() -> APP.evolution().sendsTo("447700900811") >= 1
                && APP.evolution().sendsTo("447700900812") >= 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> APP.redis().getStream("wa:{tag-a}:stream").size() == 0
                && APP.redis().getStream("wa:{tag-a}:inbound").size() == 0);

        List<String> keys = StreamSupport.stream(APP.redis().getKeys().getKeysByPattern("wa:*").spliterator(), false)
                .filter(k -> !k.startsWith("wa:instances") && !k.equals("wa:probe")).toList();
        assertThat(keys).contains("wa:{tag-a}:stream", "wa:{tag-a}:inbound", "wa:{tag-b}:stream",
                "wa:{tag-a}:dedupe:TAGA0001");
        assertThat(keys).anyMatch(k -> k.startsWith("wa:{tag-a}:msg:"));
        assertThat(keys).allMatch(k -> k.startsWith("wa:{tag-a}:") || k.startsWith("wa:{tag-b}:"));
        // and a redelivered webhook is still recognised as the same message
        assertThat(Webhooks.post(APP.port(), Webhooks.textMessage("tag-a", "TAGA0001", "447700900811", "Are you open today?"))
                .body()).contains("duplicate");
    }

    @Test
    void aBacklogLeftUnderThePreviousNamesIsNamedAtStartNotSilentlyStranded() {
        // a deployment that switched WA_KEY_HASHTAGS on with replies still queued under wa:<inst>:stream
        APP.redis().getStream("wa:tag-b:stream", org.redisson.client.codec.StringCodec.INSTANCE)
                .add(org.redisson.api.stream.StreamAddArgs.entry("payload", "{\"message_id\":\"old-1\"}"));
        try {
            assertThat(KeyNamingCheck.warnAboutStrandedEntries(APP.redis(), List.of("tag-a", "tag-b")))
                    .containsExactly("wa:tag-b:stream=1");
        } finally {
            APP.redis().getKeys().delete("wa:tag-b:stream");
        }
    }
}
