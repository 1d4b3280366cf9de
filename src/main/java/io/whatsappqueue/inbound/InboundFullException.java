package io.whatsappqueue.inbound;

/** The inbound stream holds WA_STREAM_MAXLEN undelivered entries: the webhook answers 503 so Evolution retries. */
public class InboundFullException extends RuntimeException {
    public InboundFullException(String stream, long maxLen) {
        super(stream + " holds " + maxLen + " unanswered events (WA_STREAM_MAXLEN); refusing more until replies catch up");
    }
}
