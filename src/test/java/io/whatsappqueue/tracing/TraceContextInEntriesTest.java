package io.whatsappqueue.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.OtlpReceiver;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import io.whatsappqueue.support.Webhooks;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With tracing on, what a web process writes to Redis carries the W3C trace context of the request that caused
 * it, in the payload's {@code metadata} (DESIGN §6): the inbound entry of a webhook, the reply on the send stream,
 * an API message on the send stream. A caller's own {@code traceparent} is continued, not replaced by a new trace.
 * No worker runs here, so the entries stay in the streams to be read.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class TraceContextInEntriesTest {
    private static final String INSTANCE = "trace-entries";
    private static final String API_TOKEN = "api-token-for-trace-entries";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final OtlpReceiver OTLP = new OtlpReceiver();

    @RegisterExtension
    static final TestApp WEB = TestApp.web(INSTANCE).with("OTEL_EXPORTER_OTLP_ENDPOINT", OTLP.url())
            .with("OTEL_BSP_SCHEDULE_DELAY", "50").with("API_TOKEN", API_TOKEN).with("WA_TYPING_DELAY_MS", "0")
            .closing(OTLP);

    @Test
    void aWebhookMessageAndItsReplyCarryTheWebhookRequestsTrace() throws Exception {
        String callerTrace = "0af7651916cd43dd8448eb211c80319c";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(WEB.url("/webhooks/evolution")))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + callerTrace + "-b7ad6b7169203331-01")
                .POST(HttpRequest.BodyPublishers.ofString(Webhooks.textMessage(INSTANCE, "ENTRY-KEY-1", "447700900601",
                        "Do you open on Saturdays?"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);

        JsonNode reply = await().atMost(Duration.ofSeconds(60)).until(() -> replyTo("ENTRY-KEY-1"), p -> p != null);
        assertThat(EntryTraceContext.traceId(reply.path("metadata").path("traceparent").asText()))
                .as("the reply on the send stream continues the caller's trace").isEqualTo(callerTrace);
        assertThat(reply.path("metadata").path("part").asInt()).as("the reply's own metadata is kept").isEqualTo(1);
    }

    @Test
    void anApiMessageOnTheSendStreamCarriesThePostsTraceAndKeepsTheClientsMetadata() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(WEB.url("/api/messages")))
                .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"instance\":\"" + INSTANCE
                        + "\",\"to\":\"447700900602\",\"text\":\"See you tomorrow\",\"metadata\":{\"crm\":\"A-7\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String messageId = JSON.readTree(r.body()).path("message_id").asText();

        JsonNode entry = await().atMost(Duration.ofSeconds(30)).until(() -> payloadOf(messageId), p -> p != null);
        String traceparent = entry.path("metadata").path("traceparent").asText();
        assertThat(EntryTraceContext.traceId(traceparent)).as("entry %s", entry).isNotNull();
        assertThat(entry.path("metadata").path("crm").asText()).isEqualTo("A-7");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(OTLP.spans())
                .as("the POST's span is the entry's parent")
                .anySatisfy(s -> {
                    assertThat(s.spanId()).isEqualTo(traceparent.substring(36, 52));
                    assertThat(s.attribute("url.path")).isEqualTo("post:/api:/messages");
                }));
    }

    private static JsonNode replyTo(String keyId) throws Exception {
        for (Map<String, String> e : TestRedis.entries(Keys.sendStream(INSTANCE))) {
            JsonNode p = JSON.readTree(e.get("payload"));
            if (keyId.equals(p.path("metadata").path("in_reply_to").asText())) {
                return p;
            }
        }
        return null;
    }

    private static JsonNode payloadOf(String messageId) throws Exception {
        for (Map<String, String> e : TestRedis.entries(Keys.sendStream(INSTANCE))) {
            JsonNode p = JSON.readTree(e.get("payload"));
            if (messageId.equals(p.path("message_id").asText())) {
                return p;
            }
        }
        return null;
    }
}
