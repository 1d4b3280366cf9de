package io.whatsappqueue.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

/** The trace context between message headers and a stream entry's payload metadata, both ways. */
class EntryTraceContextTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Message message() {
        return new DefaultMessage(new DefaultCamelContext());
    }

    @Test
    void theSendingSpansContextGoesIntoThePayloadsMetadataKeepingEverythingElse() throws Exception {
        Message m = message();
        m.setHeader("traceparent", TRACEPARENT);
        m.setHeader("tracestate", "vendor=abc");
        String payload = "{\"message_id\":\"m-1\",\"to\":\"447700900123\",\"text\":\"hi\",\"metadata\":{\"part\":1}}";

        var out = JSON.readTree(EntryTraceContext.withContext(payload, m));

        assertThat(out.path("metadata").path("traceparent").asText()).isEqualTo(TRACEPARENT);
        assertThat(out.path("metadata").path("tracestate").asText()).isEqualTo("vendor=abc");
        assertThat(out.path("metadata").path("part").asInt()).isEqualTo(1);
        assertThat(out.path("text").asText()).isEqualTo("hi");
    }

    @Test
    void aPayloadWithoutMetadataGetsOneAndWithoutContextStaysByteForByteTheSame() throws Exception {
        String previousSystemEntry = "{\"message_id\":\"m-2\",\"to\":\"447700900123\",\"text\":\"hi\",\"queued_at\":1.5}";
        Message traced = message();
        traced.setHeader("traceparent", TRACEPARENT);

        assertThat(JSON.readTree(EntryTraceContext.withContext(previousSystemEntry, traced)).path("metadata")
                .path("traceparent").asText()).isEqualTo(TRACEPARENT);
        assertThat(EntryTraceContext.withContext(previousSystemEntry, message())).isSameAs(previousSystemEntry);
    }

    @Test
    void theConsumerTurnsTheMetadataBackIntoHeadersAndIgnoresEntriesWithoutOrWithBrokenContext() {
        Message m = message();
        EntryTraceContext.toHeaders("{\"to\":\"1\",\"metadata\":{\"traceparent\":\"" + TRACEPARENT + "\"}}", m);
        assertThat(m.getHeader("traceparent")).isEqualTo(TRACEPARENT);

        Message none = message();
        EntryTraceContext.toHeaders("{\"to\":\"1\",\"text\":\"no metadata\"}", none);
        EntryTraceContext.toHeaders("not json \"traceparent\"", none);
        EntryTraceContext.toHeaders(null, none);
        assertThat(none.getHeaders()).isEmpty();
    }

    @Test
    void onlyAWellFormedTraceparentFromOutsideIsCarried() {
        for (String bad : new String[] {"00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-4bf92f-00f067aa0ba902b7-01",
                TRACEPARENT + "\nX-Injected: 1", "hello"}) {
            Message m = message();
            m.setHeader("traceparent", bad);
            assertThat(EntryTraceContext.ofHeaders(m)).as(bad).isEmpty();
        }
        assertThat(EntryTraceContext.traceId(TRACEPARENT)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
