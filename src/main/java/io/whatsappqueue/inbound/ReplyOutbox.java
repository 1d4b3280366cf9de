package io.whatsappqueue.inbound;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.ai.ReplySplitter;
import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.send.ReplyQueue;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the reply on {@code wa:<instance>:stream} for the send route: split into ordered parts of at most
 * WA_MAX_REPLY_CHARS, each in the previous system's entry format with metadata {@code {in_reply_to, part, parts,
 * received_at}} and a message_id derived from the inbound message ({@link ReplyIds}). Then the exchange goes
 * into the chat's memory. Every step is idempotent, so a redelivered event changes nothing that was done.
 */
public final class ReplyOutbox {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final ReplyQueue queue;
    private final ReplySplitter splitter = new ReplySplitter();
    private final int maxChars;
    private final ChatMemory memory;
    private final String emptyReplyText;
    private final io.whatsappqueue.observe.WaMetrics metrics;

    public ReplyOutbox(ReplyQueue queue, int maxChars, ChatMemory memory, String emptyReplyText,
                       io.whatsappqueue.observe.WaMetrics metrics) {
        this.queue = queue;
        this.maxChars = maxChars;
        this.memory = memory;
        this.emptyReplyText = emptyReplyText;
        this.metrics = metrics;
    }

    /** Route step: the body is the reply text. */
    public void enqueue(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        String source = exchange.getProperty(ReplyDrafts.SOURCE, "llm", String.class);
        String text = exchange.getMessage().getBody(String.class);
        List<String> parts = splitter.split(text, maxChars);
        if (parts.isEmpty()) {
            parts = splitter.split(emptyReplyText, maxChars);
        }
        int added = 0;
        for (int i = 0; i < parts.size(); i++) {
            ObjectNode metadata = JsonNodeFactory.instance.objectNode();
            metadata.put("in_reply_to", e.keyId());
            metadata.put("part", i + 1);
            metadata.put("parts", parts.size());
            metadata.put("received_at", e.receivedAt());
            ReplyQueue.Result r = queue.enqueue(e.instance(), ReplyIds.of(e.instance(), e.keyId(), i + 1),
                    e.replyTo(), parts.get(i), metadata);
            if (r.outcome() == ReplyQueue.Outcome.QUEUED) {
                added++;
            }
        }
        memory.append(e.instance(), e.contactId(), e.keyId(), e.text(), String.join("\n\n", parts));
        if (added > 0) {
            metrics.reply(e.instance(), source);
        }
        long ms = System.currentTimeMillis() - exchange.getClock().getCreated();
        LOG.info("outcome={} instance={} in_reply_to={} parts={} source={} duration_ms={}",
                added > 0 ? "reply_queued" : "reply_already_queued", e.instance(), InstanceNames.safeForLog(e.keyId()),
                parts.size(), source, ms);
    }
}
