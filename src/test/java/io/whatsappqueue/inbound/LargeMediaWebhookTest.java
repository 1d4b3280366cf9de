package io.whatsappqueue.inbound;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import static io.whatsappqueue.inbound.InboundTestEnv.TOKEN;
import static io.whatsappqueue.inbound.InboundTestEnv.read;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9.2: with Evolution's webhook base64 option on, media arrives inline ({@code data.message.base64}). Such
 * an event is answered by its caption up to WA_WEBHOOK_MAX_BODY_BYTES (default 64 MiB, DESIGN §3), without the
 * media being read into memory or stored; above the limit the answer is 422 payload_too_large (Evolution does not
 * retry it; it retries 413), named and counted. The default limit is used here.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class LargeMediaWebhookTest {
    private static final String CAPTION = "Could you tell me if these blood results look normal?";
    private static final long DEFAULT_LIMIT = 64L * 1024 * 1024;
    private static final String INSTANCE = "acme-media";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, overrides());

    @EndpointInject
    ProducerTemplate template;

    private static Map<String, String> overrides() {
        return Map.of();
    }


    @Test
    void realEventWithInlineMediaIsAnsweredByItsCaptionAndTheMediaIsNotStored() throws Exception {
        MediaBody body = new MediaBody("C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F6", 1_310_720);   // the real-world 1.31 MB
        var routes = template.getCamelContext().getRouteController();
        routes.stopRoute("reply-generate");
        try {
            HttpResponse<String> res = post(body, true);
            assertEquals(200, res.statusCode(), res.body());
            assertEquals("accepted", read(res.body()).path("status").asText());
            Map<String, String> entry = inboundEntries().get(0);
            JsonNode payload = read(entry.get("payload"));
            assertEquals(CAPTION, payload.path("text").asText());
            assertEquals("document", payload.path("media_type").asText());
            assertTrue(entry.get("payload").length() < 2048, "no media in Redis: " + entry.get("payload").length());
        } finally {
            routes.startRoute("reply-generate");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(body.keyId).size() == 1);
        assertTrue(env.aiUserMessages().stream().anyMatch(m -> m.contains(CAPTION)), "the caption is what is answered");
    }

    @Test
    void twentyMegabytesOfInlineMediaWithoutContentLengthAreAccepted() {
        MediaBody body = new MediaBody("C1D2E3F4A5B6C7D8E9F0A1B2C3D4E502", 20L * 1024 * 1024);
        HttpResponse<String> res = post(body, false);
        assertEquals(200, res.statusCode(), res.body());
        await().atMost(Duration.ofSeconds(15)).until(() -> env.repliesTo(body.keyId).size() == 1);
    }

    @Test
    void bodyOverTheDefaultLimitIs422NamingTheVariableCountedAndTheServerCarriesOn() {
        for (boolean declared : List.of(true, false)) {
            MediaBody body = new MediaBody("C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5" + (declared ? "03" : "04"), DEFAULT_LIMIT);
            HttpResponse<String> res = post(body, declared);
            assertEquals(422, res.statusCode(), "Content-Length sent: " + declared + " " + res.body());
            JsonNode error = read(res.body());
            assertEquals("payload_too_large", error.path("error").asText());
            assertTrue(error.path("message").asText().contains("WA_WEBHOOK_MAX_BODY_BYTES"), res.body());
            assertTrue(error.path("message").asText().contains(String.valueOf(DEFAULT_LIMIT)), res.body());
            assertEquals(0, env.repliesTo(body.keyId).size());
        }
        HttpResponse<String> metrics = env.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("MANAGEMENT_PORT") + "/observe/metrics")).GET().build());
        assertTrue(metrics.body().contains("wa_webhook_events_total{instance=\"unknown\",outcome=\"payload_too_large\"} 2.0"),
                metrics.body());
        MediaBody small = new MediaBody("C1D2E3F4A5B6C7D8E9F0A1B2C3D4E505", 1000);
        assertEquals(200, post(small, true).statusCode());
    }

    private static HttpResponse<String> post(MediaBody body, boolean withContentLength) {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(body::open);
        if (withContentLength) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(publisher, body.length());
        }
        return env.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.port + "/webhooks/evolution"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("X-Webhook-Token", TOKEN).POST(publisher).build());
    }

    private static List<Map<String, String>> inboundEntries() {
        Map<StreamMessageId, Map<String, String>> all = env.redis.<String, String>getStream(
                Keys.inboundStream(INSTANCE), StringCodec.INSTANCE).range(StreamMessageId.MIN, StreamMessageId.MAX);
        return List.copyOf(all.values());
    }

    /**
     * The real-world event ({@code fixtures/realworld/large-media-caption.json}) with {@code mediaChars} of base64
     * inline, generated as it is sent, so the test holds no large array either.
     */
    static final class MediaBody {
        final String keyId;
        private final byte[] head;
        private final byte[] tail;
        private final long mediaChars;

        MediaBody(String keyId, long mediaChars) {
            this.keyId = keyId;
            this.mediaChars = mediaChars;
            ObjectNode event = (ObjectNode) read(new String(OwnSendEchoTest.realworld("large-media-caption.json", INSTANCE),
                    StandardCharsets.UTF_8));
            ((ObjectNode) event.path("data").path("key")).put("id", keyId);
            String json = event.toString();
            int at = json.indexOf("\"MEDIA\"") + 1;
            head = json.substring(0, at).getBytes(StandardCharsets.UTF_8);
            tail = json.substring(at + "MEDIA".length()).getBytes(StandardCharsets.UTF_8);
        }

        long length() {
            return head.length + mediaChars + tail.length;
        }

        InputStream open() {
            Supplier<InputStream> media = () -> new InputStream() {
                private long left = mediaChars;

                @Override
                public int read() {
                    return left-- > 0 ? 'Q' : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    java.util.Arrays.fill(b, off, off + n, (byte) 'Q');
                    left -= n;
                    return n;
                }
            };
            return new SequenceInputStream(new ByteArrayInputStream(head),
                    new SequenceInputStream(media.get(), new ByteArrayInputStream(tail)));
        }
    }
}
