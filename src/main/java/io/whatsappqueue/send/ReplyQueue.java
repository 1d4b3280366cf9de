package io.whatsappqueue.send;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/**
 * Puts replies on {@code wa:<instance>:stream}: idempotent on message_id for 24 h ({@code wa:msg:<id>}, set in
 * the same atomic step as the XADD), and refused when the stream holds WA_STREAM_MAXLEN undelivered entries.
 */
public final class ReplyQueue {
    private static final String ENQUEUE = LuaScripts.plain("enqueue.lua");
    private static final long IDEMPOTENCY_TTL_S = 86_400;

    public enum Outcome { QUEUED, DUPLICATE }

    public record Result(Outcome outcome, String streamId) {
    }

    private final LuaScripts lua;
    private final long maxLen;

    public ReplyQueue(RedissonClient redis, long maxLen) {
        this.lua = new LuaScripts(redis);
        this.maxLen = maxLen;
    }

    public Result enqueue(String instance, String messageId, String to, String text, ObjectNode metadata) {
        return enqueuePayload(instance, messageId, OutboundMessages.newPayload(messageId, to, text, metadata));
    }

    /** Adds a payload as is (replay, tests, tools); {@code messageId} must be the payload's message_id. */
    public Result enqueuePayload(String instance, String messageId, String payload) {
        String stream = Keys.sendStream(instance);
        List<Object> r = lua.eval(ENQUEUE, RScript.ReturnType.MULTI, List.of(stream, Keys.enqueued(messageId)),
                payload, String.valueOf(maxLen), String.valueOf(IDEMPOTENCY_TTL_S));
        String status = String.valueOf(r.get(0));
        return switch (status) {
            case "queued" -> new Result(Outcome.QUEUED, String.valueOf(r.get(1)));
            case "duplicate" -> new Result(Outcome.DUPLICATE, null);
            case "full" -> throw new StreamFullException(stream, maxLen);
            default -> throw new IllegalStateException("enqueue.lua answered " + status);
        };
    }
}
