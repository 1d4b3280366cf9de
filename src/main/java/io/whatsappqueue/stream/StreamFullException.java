package io.whatsappqueue.stream;

/**
 * The stream already holds its most undelivered entries (WA_STREAM_MAXLEN); nothing is dropped to make room.
 * A pause for a consumer whose step writes to that stream: it waits without using an attempt.
 */
public class StreamFullException extends RuntimeException implements PauseSignal {
    public StreamFullException(String stream, long maxLen) {
        super(stream + " holds " + maxLen + " undelivered entries (WA_STREAM_MAXLEN); refusing to add more"
                + " rather than drop an undelivered message. Check the workers and /admin/streams/health.");
    }
}
