package io.whatsappqueue.send;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.evolution.EvolutionFailure;
import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.PoisonEntryException;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

/**
 * Writes {@code wa:<instance>:dlq} entries in the previous layout (one field {@code payload}: the original
 * payload plus {@code final_error} and {@code failed_at}) with more detail: the reason, last HTTP status,
 * attempts and source stream id. Called before the source entry is acknowledged, so a crash in between can
 * duplicate a dead letter but never lose the message.
 */
public final class DeadLetters {
    public static final String REASON = "WaDeadLetterReason";

    private final RedissonClient redis;

    public DeadLetters(RedissonClient redis) {
        this.redis = redis;
    }

    /**
     * Route step of direct:dead-letter. Returns the DLQ stream id.
     * Reads: property WaMessage, CamelExceptionCaught, WaDeadLetterReason, WaHttpStatus; header
     * CamelRedisStreamInstance, CamelRedisStreamId, CamelRedisStreamDelivery, CamelRedisStreamFields. Sets: property
     * WaDeadLetterReason; body (the DLQ id, returned).
     */
    public String write(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = exchange.getProperty(REASON, String.class);
        ObjectNode entry = payloadOf(exchange);
        String finalError = reason != null ? reason : finalError(cause);
        entry.put("final_error", finalError);
        entry.put("failed_at", System.currentTimeMillis() / 1000.0);
        if (cause != null) {
            entry.put("error_detail", truncate(io.whatsappqueue.logging.SecretValues.scrub(cause.getMessage())));
        }
        Integer status = exchange.getProperty(EvolutionSendResult.HTTP_STATUS, Integer.class);
        EvolutionFailure ef = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, EvolutionFailure.class);
        if (ef != null) {
            status = ef.httpStatus();
        }
        if (status != null && status > 0) {
            entry.put("last_http_status", status);
        }
        entry.put("delivery_attempts", exchange.getMessage().getHeader(RedisStreamConstants.DELIVERY, 1, Integer.class));
        entry.put("source_stream_id", exchange.getMessage().getHeader(RedisStreamConstants.ID, String.class));
        String instance = exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
        exchange.setProperty(REASON, finalError);
        return redis.<String, String>getStream(Keys.deadLetters(instance), StringCodec.INSTANCE)
                .add(StreamAddArgs.entries(Map.of("payload", entry.toString()))).toString();
    }

    /**
     * Route step of direct:reply-give-up: the inbound event the reply step could not handle goes to
     * {@code wa:<instance>:inbound:dlq} (DESIGN §6) as its payload plus {@code final_error}, {@code failed_at},
     * the attempts and the source stream id. Returns the dead-letter stream id.
     * Reads: header CamelRedisStreamFields, CamelRedisStreamInstance, CamelRedisStreamId, CamelRedisStreamDelivery;
     * property CamelExceptionCaught, WaDeadLetterReason. Sets: property WaDeadLetterReason (the final error); body
     * (the DLQ id, returned).
     */
    public String writeInbound(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = exchange.getProperty(REASON, String.class);
        ObjectNode entry = OutboundMessages.json().createObjectNode();
        @SuppressWarnings("unchecked")
        Map<String, String> fields = exchange.getMessage().getHeader(RedisStreamConstants.FIELDS, Map.class);
        String payload = fields == null ? null : fields.get("payload");
        try {
            if (payload != null && OutboundMessages.json().readTree(payload) instanceof ObjectNode o) {
                entry = o;
            } else {
                entry.put("raw", payload);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            entry.put("raw", payload);
        }
        String finalError = reason != null ? reason
                : "reply_failed: " + (cause == null ? "unknown" : cause.getClass().getSimpleName());
        entry.put("final_error", finalError);
        entry.put("failed_at", System.currentTimeMillis() / 1000.0);
        if (cause != null) {
            entry.put("error_detail", truncate(cause.getMessage()));
        }
        entry.put("delivery_attempts", exchange.getMessage().getHeader(RedisStreamConstants.DELIVERY, 1, Integer.class));
        entry.put("source_stream_id", exchange.getMessage().getHeader(RedisStreamConstants.ID, String.class));
        String instance = exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
        exchange.setProperty(REASON, finalError);
        return redis.<String, String>getStream(Keys.inboundDeadLetters(instance), StringCodec.INSTANCE)
                .add(StreamAddArgs.entries(Map.of("payload", entry.toString()))).toString();
    }

    private static ObjectNode payloadOf(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        if (m != null) {
            return m.raw().deepCopy();
        }
        // unparseable entry: keep every field as it was, as the previous system's "raw" did
        ObjectNode o = OutboundMessages.json().createObjectNode();
        ObjectNode raw = o.putObject("raw");
        @SuppressWarnings("unchecked")
        Map<String, String> fields = exchange.getMessage().getHeader(RedisStreamConstants.FIELDS, Map.class);
        if (fields != null) {
            fields.forEach(raw::put);
        }
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        o.put("error", cause == null ? "unknown" : truncate(cause.getMessage()));
        return o;
    }

    private static String finalError(Throwable cause) {
        if (cause instanceof PoisonEntryException p) {
            return "poison_entry: " + p.reason();
        }
        if (cause instanceof EvolutionFailure ef) {
            return ef.isPermanent() ? "rejected_by_evolution: " + ef.reason() : "max_deliveries_exceeded: " + ef.reason();
        }
        return "max_deliveries_exceeded: " + (cause == null ? "unknown" : cause.getClass().getSimpleName());
    }

    private static String truncate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
