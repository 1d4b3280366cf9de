package io.whatsappqueue.send;

import java.util.LinkedHashMap;
import java.util.Map;

import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;

/**
 * Send-side idempotency: a message_id that Evolution accepted is remembered for 24 h, so an entry of the same
 * message is acknowledged without a second POST (checked by {@link SendAdmission}). The id Evolution gave the
 * sent message is remembered as ours, which tells our own echoes from staff typing ({@link OwnSends}).
 */
public final class SentMarkers {
    private final SendEntryScripts scripts;

    public SentMarkers(SendEntryScripts scripts) {
        this.scripts = scripts;
    }

    /**
     * Route step, right after Evolution accepted the message: asks the stream consumer to write the send marker
     * (and the reverse marker of Evolution's key.id), the status sent and the used-up echo expectation in the same
     * atomic step that acknowledges and deletes the entry (headers {@link RedisStreamConstants#MARK_ON_FINISH},
     * {@link RedisStreamConstants#FINISH_CALL}), so the marker exists exactly when the entry is gone, and a Redis
     * that refuses writes for a while delays them instead of causing a second send.
     * Reads: property WaMessage, WaProviderMessageId; header CamelRedisStreamInstance. Sets: header
     * CamelRedisStreamMarkOnFinish, CamelRedisStreamFinishCall.
     */
    public void mark(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
        String providerId = exchange.getProperty(EvolutionSendResult.PROVIDER_ID, "", String.class);
        Map<String, String> markers = new LinkedHashMap<>();
        markers.put(Keys.sent(instance(exchange), m.messageId()), providerId.isEmpty() ? "1" : providerId);
        if (!providerId.isEmpty()) {
            // the reverse marker: a fromMe upsert with this key.id is our own send, not staff taking over
            markers.put(Keys.ours(instance(exchange), providerId), m.messageId());
        }
        exchange.getMessage().setHeader(RedisStreamConstants.MARK_ON_FINISH, markers);
        // status sent and the expected echo used up, in the same step (lua/send/entry-hooks.lua wq_finished)
        exchange.getMessage().setHeader(RedisStreamConstants.FINISH_CALL, scripts.sent(instance(exchange), m, providerId));
    }

    private static String instance(Exchange exchange) {
        return exchange.getMessage().getHeader(RedisStreamConstants.INSTANCE, String.class);
    }
}
