package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WA_NON_TEXT_REPLY set: a voice note, sticker, or image or document without caption gets that text instead of
 * silence, once an hour per chat (a second voice note within the hour: silence), never through the AI. Unset, the
 * webhook keeps ignoring such media (ReplyBehaviourTest#voiceNoteIsIgnoredWhenNoNonTextReplyIsSet).
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NonTextReplyTest {
    private static final String INSTANCE = "clinic-non-text";
    private static final String REPLY = "We can't listen to voice notes or open files here: please write your question.";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of("WA_NON_TEXT_REPLY", REPLY));

    @BeforeEach
    void peers() {
        env.stubEvolution();
    }

    @Test
    void voiceNoteGetsTheReplyOnceAnHourPerChat() {
        String first = post("05-audio-voice-note.json", "447700900551");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(first).size() == 1);
        assertThat(env.repliesTo(first).get(0).path("text").asText()).isEqualTo(REPLY);

        String second = post("05-audio-voice-note.json", "447700900551");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.inboundBacklog() == 0);
        assertThat(env.repliesTo(second)).as("a second voice note within the hour").isEmpty();
        long ttl = env.redis.getBucket(Keys.nonTextReplied(INSTANCE, "447700900551"), StringCodec.INSTANCE).remainTimeToLive();
        assertThat(ttl).isBetween(1L, 3_600_000L);
        assertThat(env.aiCalls()).isZero();

        String text = env.postText("447700900551", "Can I book for Friday?");
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(text).size() == 1);
        assertThat(env.repliesTo(text).get(0).path("text").asText()).isNotEqualTo(REPLY);
    }

    @Test
    void stickerUncaptionedImageAndDocumentEachGetTheReplyInTheirOwnChat() {
        String sticker = post("06-sticker.json", "447700900552");
        String document = post("07-document.json", "447700900553");
        ObjectNode image = message("03-image-with-caption.json", "447700900554");
        ((ObjectNode) image.path("data").path("message").path("imageMessage")).remove("caption");
        String imageKey = post(image);

        for (String keyId : new String[] {sticker, document, imageKey}) {
            await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(keyId).size() == 1);
            assertThat(env.repliesTo(keyId).get(0).path("text").asText()).isEqualTo(REPLY);
        }
        assertThat(env.aiCalls()).isZero();
    }

    private static String post(String fixture, String number) {
        return post(message(fixture, number));
    }

    private static String post(ObjectNode body) {
        var answer = env.postWebhook(InboundTestEnv.bytes(body));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("accepted");
        return body.path("data").path("key").path("id").asText();
    }

    private static ObjectNode message(String fixture, String number) {
        ObjectNode body = env.fixtureTree(fixture);
        ObjectNode key = (ObjectNode) body.path("data").path("key");
        key.put("id", UUID.randomUUID().toString().replace("-", "").toUpperCase());
        key.put("remoteJid", number + "@s.whatsapp.net");
        key.remove("remoteJidAlt");
        return body;
    }
}
