package io.whatsappqueue.ai;

import io.whatsappqueue.inbound.ReplyDrafts;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * How the reply flow takes the answer of its AI step (reply.camel.yaml: {@code enrich} of {@code direct:reply-ai}):
 * the enriched body is the reply text, and property {@link ReplyDrafts#SOURCE} says who wrote it (llm, knowledge,
 * fallback). Nothing else of the AI step's exchange comes back. A failure of the AI step is not aggregated (Camel's
 * enricher hands it to the reply flow's error policy).
 */
public final class AiReplyAggregation implements AggregationStrategy {

    /** Reads: the AI step's body and property WaReplySource. Sets: body; property WaReplySource (when set there). */
    @Override
    public Exchange aggregate(Exchange original, Exchange resource) {
        if (resource == null) {
            return original;
        }
        original.getMessage().setBody(resource.getMessage().getBody());
        Object source = resource.getProperty(ReplyDrafts.SOURCE);
        if (source != null) {
            original.setProperty(ReplyDrafts.SOURCE, source);
        }
        return original;
    }
}
