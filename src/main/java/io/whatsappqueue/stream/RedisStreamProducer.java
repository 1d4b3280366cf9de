package io.whatsappqueue.stream;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.tracing.EntryTraceContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to: redis-stream:<kind>}: appends the body (the payload JSON) to {@code wa:<instance>:<kind>} once.
 * Reads headers {@link RedisStreamConstants#INSTANCE} (required), {@link RedisStreamConstants#ADD_ONCE_ID}
 * and {@link RedisStreamConstants#CHAT}, and the W3C headers {@code traceparent} / {@code tracestate} Camel's tracer
 * injects, which go into the payload's {@code metadata} ({@link EntryTraceContext}); sets {@link RedisStreamConstants#ADD_OUTCOME} and
 * {@link RedisStreamConstants#ID}. Throws {@link StreamFullException} when the stream is full (nothing is
 * trimmed) and Redisson's exceptions when Redis cannot take the write; a failed add leaves nothing behind.
 */
public class RedisStreamProducer extends DefaultProducer {
    private final RedisStreamEndpoint endpoint;
    private final StreamStore store;

    public RedisStreamProducer(RedisStreamEndpoint endpoint, StreamStore store) {
        super(endpoint);
        this.endpoint = endpoint;
        this.store = store;
    }

    @Override
    public void process(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Message in = exchange.getMessage();
        String instance = in.getHeader(RedisStreamConstants.INSTANCE, String.class);
        if (instance == null || instance.isEmpty()) {
            throw new IllegalArgumentException("redis-stream producer needs header " + RedisStreamConstants.INSTANCE);
        }
        // the sending span's W3C context (headers the tracer injected) into the payload's metadata; none: unchanged
        String payload = EntryTraceContext.withContext(in.getMandatoryBody(String.class), in);
        String onceId = in.getHeader(RedisStreamConstants.ADD_ONCE_ID, String.class);
        String contact = in.getHeader(RedisStreamConstants.CHAT, String.class);
        RedisStreamConfiguration c = endpoint.getConfiguration();
        StreamStore.AddResult r = store.add(endpoint.streamKey(instance),
                onceId == null ? null : Keys.addOnce(instance, c.getKind(), onceId), payload,
                contact == null || contact.isEmpty() ? "" : Keys.chat(contact), c.getMaxLen(), c.getAddOnceTtlS());
        in.setHeader(RedisStreamConstants.ADD_OUTCOME,
                r.outcome() == StreamStore.AddOutcome.ADDED ? RedisStreamConstants.ADDED : RedisStreamConstants.DUPLICATE);
        in.setHeader(RedisStreamConstants.ID, r.id());
    }
}
