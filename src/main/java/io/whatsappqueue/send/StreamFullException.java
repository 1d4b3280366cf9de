package io.whatsappqueue.send;

/** The stream already holds WA_STREAM_MAXLEN undelivered entries; nothing is dropped to make room. */
public class StreamFullException extends RuntimeException {
    public StreamFullException(String stream, long maxLen) {
        super(stream + " holds " + maxLen + " undelivered entries (WA_STREAM_MAXLEN); refusing to add more"
                + " rather than drop an undelivered reply. Check the workers and /admin/streams/health.");
    }
}
