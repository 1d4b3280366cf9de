package io.whatsappqueue.inbound;

import java.util.List;

import io.whatsappqueue.evolution.InboundMessage;
import io.whatsappqueue.evolution.WebhookDecision;
import org.apache.camel.Exchange;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/**
 * Appends accepted messages to {@code wa:<instance>:inbound}, once per (instance, key.id) for 24 h. The
 * de-duplication marker and the entry are written by one Lua script, so the marker never outlives a failed
 * append. A stream already holding WA_STREAM_MAXLEN undelivered entries refuses the event (503: Evolution
 * retries later) rather than dropping anything.
 */
public final class InboundQueue {
    private static final String SCRIPT = LuaScripts.plain("inbound.lua");
    static final long DEDUPE_TTL_S = 86_400;

    public enum Outcome { ACCEPTED, DUPLICATE }

    private final LuaScripts lua;
    private final long maxLen;

    public InboundQueue(RedissonClient redis, long maxLen) {
        this.lua = new LuaScripts(redis);
        this.maxLen = maxLen;
    }

    /** Route step for a QUEUE decision: appends it, received at the request's arrival. */
    public Outcome accept(Exchange exchange) {
        WebhookDecision d = exchange.getProperty(WebhookIntake.DECISION, WebhookDecision.class);
        return append(d.inbound(), exchange.getProperty(WebhookIntake.RECEIVED_AT, Long.class));
    }

    /**
     * @throws InboundFullException when the stream is full
     * @throws org.redisson.client.RedisException when Redis cannot take it (timeout, connection, OOM)
     */
    public Outcome append(InboundMessage m, long receivedAtMillis) {
        String stream = Keys.inboundStream(m.instance());
        List<Object> r = lua.eval(SCRIPT, RScript.ReturnType.MULTI,
                List.of(Keys.inboundDedupe(m.instance(), m.messageKeyId()), stream),
                InboundEntries.payload(m, receivedAtMillis), String.valueOf(DEDUPE_TTL_S), String.valueOf(maxLen));
        String status = String.valueOf(r.get(0));
        return switch (status) {
            case "accepted" -> Outcome.ACCEPTED;
            case "duplicate" -> Outcome.DUPLICATE;
            case "full" -> throw new InboundFullException(stream, maxLen);
            default -> throw new IllegalStateException("inbound.lua answered " + status);
        };
    }
}
