package io.whatsappqueue.inbound;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.Exchange;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The reply generated for an inbound message, kept 24 h. When the step after generation fails (Redis hiccup,
 * full send stream, a crash before the acknowledgement), the redelivered event re-sends the same text
 * instead of asking the AI again: the parts and their message ids stay the same, so nothing is sent twice and
 * no part of a second, different answer slips in.
 */
public final class ReplyDrafts {
    /** How the reply text was made: fast_path, llm, knowledge or fallback. */
    public static final String SOURCE = "WaReplySource";
    /** Exchange property: the reply split into the texts of its parts (ReplyOutbox). */
    public static final String TEXT_PARTS = "WaReplyParts";
    private static final Duration TTL = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedissonClient redis;

    public ReplyDrafts(RedissonClient redis) {
        this.redis = redis;
    }

    /**
     * Route step: a draft found becomes the body, with its source in {@value #SOURCE}.
     * Reads: property WaInbound. Sets: body and property WaReplySource when a draft exists.
     */
    public void load(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        String stored = bucket(e).get();
        if (stored == null) {
            return;
        }
        try {
            JsonNode o = JSON.readTree(stored);
            exchange.getMessage().setBody(o.path("text").asText());
            exchange.setProperty(SOURCE, o.path("source").asText("llm"));
        } catch (JsonProcessingException ex) {
            // a draft this version cannot read: generate again
            bucket(e).delete();
        }
    }

    /**
     * Route step after generation: keeps the body as the draft; a draft another worker kept first wins.
     * Reads: property WaInbound, WaReplySource; body (the reply). Sets: property WaReplySource (llm when unset); body
     * (the draft that won).
     */
    public void save(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        String source = exchange.getProperty(SOURCE, "llm", String.class);
        exchange.setProperty(SOURCE, source);
        ObjectNode o = JSON.createObjectNode();
        o.put("text", exchange.getMessage().getBody(String.class));
        o.put("source", source);
        if (!bucket(e).setIfAbsent(o.toString(), TTL)) {
            load(exchange);
        }
    }

    private RBucket<String> bucket(InboundEntry e) {
        return redis.getBucket(Keys.replyDraft(e.instance(), e.keyId()), StringCodec.INSTANCE);
    }
}
