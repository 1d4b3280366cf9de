package io.whatsappqueue.inbound;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.whatsappqueue.ai.ChatTurn;
import io.whatsappqueue.ai.ClinicKnowledge;
import io.whatsappqueue.ai.KnowledgeResponder;
import io.whatsappqueue.ai.LlmReplier;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply route's ways to answer, each a route step that leaves the reply text in the body and says how it
 * was made in {@link ReplyDrafts#SOURCE}: the built-in responder's fast path for plain greetings and thanks,
 * the LLM (called inside the route's circuit breaker), the knowledge responder when no AI is configured, and
 * the fallback text when the AI timed out, failed or its circuit is open.
 */
public final class AiReplies {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");
    /** The chat's recent turns, read before the AI call so a Redis hiccup is not counted against the AI. */
    public static final String HISTORY = "WaHistory";
    private static final String AI_STARTED_AT = "WaAiStartedAt";

    private final ClinicKnowledge knowledge;
    private final KnowledgeResponder responder;
    private final LlmReplier llm;
    private final String fallbackText;
    private final ChatMemory memory;
    private final io.whatsappqueue.observe.WaMetrics metrics;
    private final long timeoutMs;

    /** @param llm null when AI_BASE_URL is unset */
    public AiReplies(ClinicKnowledge knowledge, LlmReplier llm, String fallbackText, ChatMemory memory,
                     io.whatsappqueue.observe.WaMetrics metrics, long timeoutMs) {
        this.knowledge = knowledge;
        this.responder = new KnowledgeResponder(knowledge);
        this.llm = llm;
        this.fallbackText = fallbackText == null ? knowledge.fallbackText() : fallbackText;
        this.memory = memory;
        this.metrics = metrics;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Route step: a plain greeting or thanks is answered at once, without the AI.
     * Reads: property WaInbound, WaReplySource (nothing is done when set). Sets: body and property WaReplySource
     * (fast_path) for a greeting or thanks.
     */
    public void fastPath(Exchange exchange) {
        if (exchange.getProperty(ReplyDrafts.SOURCE) != null) {
            return;     // already answered (the out-of-hours notice alone)
        }
        Optional<String> reply = responder.fastPath(entry(exchange).text());
        if (reply.isPresent()) {
            exchange.getMessage().setBody(reply.get());
            exchange.setProperty(ReplyDrafts.SOURCE, "fast_path");
        }
    }

    /**
     * Route step without AI_BASE_URL: the answer the knowledge file gives.
     * Reads: property WaInbound. Sets: property WaReplySource (knowledge); body (the reply, returned).
     */
    public String knowledge(Exchange exchange) {
        exchange.setProperty(ReplyDrafts.SOURCE, "knowledge");
        return responder.answer(entry(exchange).text());
    }

    /**
     * Route step before the circuit breaker: the memory, and when the AI call starts.
     * Reads: property WaInbound. Sets: property WaHistory, WaAiStartedAt.
     */
    public void loadHistory(Exchange exchange) {
        InboundEntry e = entry(exchange);
        exchange.setProperty(HISTORY, memory.recent(e.instance(), e.contactId()));
        exchange.setProperty(AI_STARTED_AT, System.currentTimeMillis());
    }

    /**
     * Route step inside the circuit breaker: the model's reply; throws on failure (the breaker decides).
     * Reads: property WaInbound, WaBurst, WaHistory, WaClinicStatus. Sets: body (the reply, returned).
     */
    @SuppressWarnings("unchecked")
    public String llm(Exchange exchange) {
        InboundEntry e = entry(exchange);
        List<ChatTurn> history = exchange.getProperty(HISTORY, List.class);
        long start = System.nanoTime();
        try {
            List<InboundEntry> burst = exchange.getProperty(InboundEntries.BURST, List.class);
            return llm.reply(knowledge, OutOfHours.of(exchange), history == null ? List.of() : history,
                    burst == null ? UserPrompt.of(e) : UserPrompt.of(burst));
        } finally {
            metrics.aiDuration(e.instance(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The circuit breaker's fallback: WA_AI_FALLBACK_TEXT, else the knowledge file's fallback text.
     * Reads: property CamelExceptionCaught, WaAiStartedAt, WaInbound. Sets: property WaReplySource (fallback); body
     * (the text, returned).
     */
    public String fallback(Exchange exchange) {
        InboundEntry e = entry(exchange);
        // Camel 4.17 sets neither its timed-out nor its rejected property here, so tell them apart by what is known:
        // a failed call left its exception; a timeout took the whole budget; an open circuit answered at once.
        Throwable cause = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        long waited = System.currentTimeMillis() - exchange.getProperty(AI_STARTED_AT, System.currentTimeMillis(), Long.class);
        String reason = cause != null ? "error" : waited >= timeoutMs * 9 / 10 ? "timeout" : "circuit_open";
        metrics.aiFallback(e.instance(), reason);
        LOG.warn("outcome=ai_fallback reason={} instance={} in_reply_to={}{}", reason, e.instance(),
                io.whatsappqueue.evolution.InstanceNames.safeForLog(e.keyId()),
                cause == null ? "" : " cause=" + cause.getClass().getSimpleName());
        exchange.setProperty(ReplyDrafts.SOURCE, "fallback");
        exchange.setException(null);
        return fallbackText;
    }

    /**
     * The text sent when a generated reply turned out empty.
     * Reads: nothing. Sets: body (returned).
     */
    public String fallbackText() {
        return fallbackText;
    }

    private static InboundEntry entry(Exchange exchange) {
        return exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
    }
}
