package io.whatsappqueue.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.StreamStore;
import org.redisson.api.RedissonClient;

/**
 * Puts a reply on {@code wa:<instance>:stream} from Java (tools, tests, the fault suite): the same add-once
 * append as {@code to: redis-stream:stream} in a route (lua/stream/add.lua): idempotent on message_id for 24 h
 * ({@code wa:msg:<id>}), registered in its chat's order, refused when the stream holds WA_STREAM_MAXLEN
 * undelivered entries.
 */
public final class ReplyQueue {
    private static final long IDEMPOTENCY_TTL_S = 86_400;

    public enum Outcome { QUEUED, DUPLICATE }

    public record Result(Outcome outcome, String streamId) {
    }

    private final StreamStore store;
    private final long maxLen;

    public ReplyQueue(RedissonClient redis, long maxLen) {
        this.store = new StreamStore(redis);
        this.maxLen = maxLen;
    }

    /**
     * @throws io.whatsappqueue.stream.StreamFullException when the stream is full
     */
    public Result enqueue(String instance, String messageId, String to, String text, ObjectNode metadata) {
        String payload = OutboundMessages.newPayload(messageId, to, text, metadata);
        String id = OutboundMessages.parse(payload, "").messageId();
        StreamStore.AddResult r = store.add(Keys.sendStream(instance), Keys.enqueued(instance, id), payload, Keys.chat(to),
                maxLen, IDEMPOTENCY_TTL_S);
        return r.outcome() == StreamStore.AddOutcome.ADDED
                ? new Result(Outcome.QUEUED, r.id()) : new Result(Outcome.DUPLICATE, null);
    }
}
