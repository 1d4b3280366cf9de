package io.whatsappqueue.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.ai.ReplySplitter;
import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply's way onto {@code wa:<instance>:stream} (reply.camel.yaml: split the parts, {@code to:
 * redis-stream:stream} each, remember the exchange). Parts are at most WA_MAX_REPLY_CHARS, each in the previous
 * system's entry format with metadata {@code {in_reply_to, part, parts, received_at}} and a message_id derived from
 * the inbound message ({@link ReplyIds}), so redoing the step never queues a part twice.
 */
public final class ReplyOutbox {
    /** Exchange property: how many parts were added (the others were already queued by an earlier try). */
    public static final String PARTS_ADDED = "WaRepliesAdded";
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    /** One part to add: its message id, recipient and payload. */
    public record Part(String messageId, String to, String payload) {
    }

    private final ReplySplitter splitter = new ReplySplitter();
    private final int maxChars;
    private final ChatMemory memory;
    private final String emptyReplyText;
    private final io.whatsappqueue.observe.WaMetrics metrics;

    public ReplyOutbox(int maxChars, ChatMemory memory, String emptyReplyText, io.whatsappqueue.observe.WaMetrics metrics) {
        this.maxChars = maxChars;
        this.memory = memory;
        this.emptyReplyText = emptyReplyText;
        this.metrics = metrics;
    }

    /**
     * Route step: reads the reply text (body) and answers the ordered {@link Part}s to add; sets header
     * {@link RedisStreamConstants#INSTANCE} and property {@value #PARTS_ADDED} (a counter the parts share).
     * Reads: property WaInbound; body (the reply text). Sets: property WaReplyParts, WaRepliesAdded; header
     * CamelRedisStreamInstance; body (the parts, returned; the route splits it).
     */
    public List<Part> parts(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        List<String> texts = splitter.split(exchange.getMessage().getBody(String.class), maxChars);
        if (texts.isEmpty()) {
            texts = splitter.split(emptyReplyText, maxChars);
        }
        exchange.setProperty(ReplyDrafts.TEXT_PARTS, texts);
        List<Part> parts = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode metadata = JsonNodeFactory.instance.objectNode();
            metadata.put("in_reply_to", e.keyId());
            metadata.put("part", i + 1);
            metadata.put("parts", texts.size());
            metadata.put("received_at", e.receivedAt());
            String id = ReplyIds.of(e.instance(), e.keyId(), i + 1);
            parts.add(new Part(id, e.replyTo(), OutboundMessages.newPayload(id, e.replyTo(), texts.get(i), metadata)));
        }
        exchange.getMessage().setHeader(RedisStreamConstants.INSTANCE, e.instance());
        exchange.setProperty(PARTS_ADDED, new AtomicInteger());
        return parts;
    }

    /**
     * Split step: the part becomes the body, its id the add-once id, its recipient the chat.
     * Reads: body (one Part). Sets: header CamelRedisStreamAddOnceId, CamelRedisStreamChat; body (the part's
     * payload).
     */
    public void part(Exchange exchange) {
        Part p = exchange.getMessage().getBody(Part.class);
        Message m = exchange.getMessage();
        m.setHeader(RedisStreamConstants.ADD_ONCE_ID, p.messageId());
        m.setHeader(RedisStreamConstants.CHAT, p.to());
        m.setBody(p.payload());
    }

    /**
     * Split step after the add: counts the part when it was added now.
     * Reads: header CamelRedisStreamAddOutcome; property WaRepliesAdded. Sets: property WaRepliesAdded (counted up
     * when added).
     */
    public void added(Exchange exchange) {
        if (RedisStreamConstants.ADDED.equals(exchange.getMessage().getHeader(RedisStreamConstants.ADD_OUTCOME, String.class))) {
            exchange.getProperty(PARTS_ADDED, AtomicInteger.class).incrementAndGet();
        }
    }

    /**
     * Route step after the parts: the exchange goes into the chat's memory; logged and counted once.
     * Reads: property WaInbound, WaReplySource, WaReplyParts, WaRepliesAdded. Sets: nothing (memory, log, metric).
     */
    public void remember(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        String source = exchange.getProperty(ReplyDrafts.SOURCE, "llm", String.class);
        @SuppressWarnings("unchecked")
        List<String> texts = exchange.getProperty(ReplyDrafts.TEXT_PARTS, List.class);
        int added = exchange.getProperty(PARTS_ADDED, AtomicInteger.class).get();
        memory.append(e.instance(), e.contactId(), e.keyId(), e.text(), String.join("\n\n", texts));
        if (added > 0) {
            metrics.reply(e.instance(), source);
        }
        long ms = System.currentTimeMillis() - exchange.getClock().getCreated();
        LOG.info("outcome={} instance={} in_reply_to={} parts={} source={} duration_ms={}",
                added > 0 ? "reply_queued" : "reply_already_queued", e.instance(), InstanceNames.safeForLog(e.keyId()),
                texts.size(), source, ms);
    }
}
