package io.whatsappqueue.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.OtlpReceiver;
import io.whatsappqueue.support.OtlpReceiver.ReceivedSpan;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.Webhooks;
import io.whatsappqueue.support.WorkerProcess;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tracing across the two processes operators run: this JVM is the web process (webhook, reply step, API), a real
 * worker process sends; both export to one in-process OTLP receiver. A patient's message, and an API message,
 * must each come out as one trace whose spans hang together from the first HTTP request to Evolution's sendText,
 * with the W3C context crossing Redis in the stream entries' metadata.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class OneTracePerMessageTest {
    private static final String INSTANCE = "trace-clinic";
    private static final String API_TOKEN = "api-token-for-trace-tests";
    private static final OtlpReceiver OTLP = new OtlpReceiver();
    private static final Map<String, String> TRACING = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", OTLP.url(),
            "OTEL_BSP_SCHEDULE_DELAY", "50");

    @RegisterExtension
    static final TestApp WEB = TestApp.web(INSTANCE).withEvolution().with(TRACING)
            .with("OTEL_SERVICE_NAME", "wa-web").with("API_TOKEN", API_TOKEN)
            .with("WA_TYPING_DELAY_MS", "0").closing(OTLP);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WorkerProcess worker;

    @BeforeAll
    static void startWorker() {
        Map<String, String> env = new java.util.HashMap<>(TRACING);
        env.put("OTEL_SERVICE_NAME", "wa-worker");
        worker = WorkerProcess.startWorker(TestApp.workerEnv(INSTANCE, WEB.evolution().url(), env));
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.terminate();
            worker.close();
        }
    }

    @Test
    void aPatientMessageIsOneTraceFromWebhookThroughReplyToEvolutionAcrossProcesses() throws Exception {
        String number = "447700900555";
        assertThat(Webhooks.post(WEB.port(), Webhooks.textMessage(INSTANCE, "TRACE-KEY-1", number, "What are your opening hours?"))
                .statusCode()).isEqualTo(200);

        List<String> chain = chainFromEvolutionCall(number);

        assertThat(chain).as("Evolution call <- send route <- reply step <- webhook, one trace over two processes")
                .containsSubsequence(
                        evolutionCall(),
                        "wa-worker EVENT_RECEIVED redis-stream stream",
                        "wa-web EVENT_SENT redis-stream stream",
                        "wa-web EVENT_RECEIVED redis-stream inbound",
                        "wa-web EVENT_SENT redis-stream inbound",
                        "wa-web EVENT_RECEIVED platform-http webhooks/evolution");
        assertThat(chain.get(chain.size() - 1)).as("the webhook request starts the trace")
                .isEqualTo("wa-web EVENT_RECEIVED platform-http webhooks/evolution");
        String traceId = traceOfSendTo(number);
        ReceivedSpan replyStep = OTLP.trace(traceId).stream()
                .filter(s -> label(s).equals("wa-web EVENT_RECEIVED redis-stream inbound")).findFirst().orElseThrow();
        assertThat(OTLP.trace(traceId)).as("the AI step is a span under the reply step")
                .anySatisfy(s -> {
                    assertThat(label(s)).isEqualTo("wa-web EVENT_SENT direct reply-ai");
                    assertThat(OTLP.ancestry(s)).contains(replyStep);
                });
        assertThat(worker.output()).as("the worker's log line about the send names the trace")
                .anySatisfy(line -> assertThat(line).contains("outcome=sent").contains("trace_id=" + traceId));
    }

    @Test
    void anApiMessageIsOneTraceFromThePostToEvolution() throws Exception {
        String number = "447700900556";
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(WEB.url("/api/messages")))
                .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"instance\":\"" + INSTANCE + "\",\"to\":\"" + number
                        + "\",\"text\":\"Your appointment is tomorrow at 10:00\",\"metadata\":{\"crm\":\"A-1\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        List<String> chain = chainFromEvolutionCall(number);

        assertThat(chain).containsSubsequence(
                evolutionCall(),
                "wa-worker EVENT_RECEIVED redis-stream stream",
                "wa-web EVENT_RECEIVED rest post:/api:/messages");
        assertThat(chain.get(chain.size() - 1)).isEqualTo("wa-web EVENT_RECEIVED rest post:/api:/messages");
    }

    /**
     * Waits for Evolution's sendText to {@code number} and for its span and every ancestor to be exported; answers
     * the ancestry as labels, the Evolution call first. The request's traceparent names the call's own span.
     */
    private List<String> chainFromEvolutionCall(String number) {
        LoggedRequest send;
        try {
            send = await().atMost(Duration.ofSeconds(90)).until(() -> sendTo(number), Optional::isPresent).get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> out = worker.output();
            throw new AssertionError("no sendText to " + number + "; the worker said:\n"
                    + String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size())), e);
        }
        String traceparent = send.getHeader("traceparent");
        assertThat(EntryTraceContext.traceId(traceparent)).as("Evolution's sendText carries the trace context").isNotNull();
        String callSpanId = traceparent.substring(36, 52);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ReceivedSpan call = OTLP.span(callSpanId).orElseThrow(() -> new AssertionError("Evolution call span not exported yet"));
            List<ReceivedSpan> ancestry = OTLP.ancestry(call);
            assertThat(ancestry.get(ancestry.size() - 1).parentSpanId()).as("ancestry complete: %s", ancestry).isEmpty();
        });
        return OTLP.ancestry(OTLP.span(callSpanId).orElseThrow()).stream().map(OneTracePerMessageTest::label).toList();
    }

    /** The label of the worker's HTTP call to Evolution (the endpoint is the base URL; the path is a header). */
    private static String evolutionCall() {
        return "wa-worker EVENT_SENT http " + WEB.evolution().url().replaceFirst("^http://", "");
    }

    private String traceOfSendTo(String number) {
        return EntryTraceContext.traceId(sendTo(number).orElseThrow().getHeader("traceparent"));
    }

    /** "service op component path", e.g. "wa-web EVENT_RECEIVED redis-stream inbound". */
    private static String label(ReceivedSpan s) {
        return s.service() + " " + s.attribute("op") + " " + s.attribute("component").replaceFirst("^camel-", "")
                + " " + s.attribute("url.path");
    }

    private Optional<LoggedRequest> sendTo(String number) {
        return WEB.evolution().sends().stream().filter(r -> r.getBodyAsString().contains(number)).findFirst();
    }
}
