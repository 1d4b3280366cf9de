package io.whatsappqueue.stream;

/** What a stream consumer reports about tries that did not complete (for logs and metrics). */
public interface StreamEvents {
    /** A counted attempt failed; the entry is retried after {@code retryInMs}. */
    void retrying(String instance, String streamId, int attempt, long retryInMs, Throwable failure);

    /** The instance is paused; the entry is held without counting the attempt. */
    void held(String instance, String streamId, int attempt, Throwable failure);

    StreamEvents NONE = new StreamEvents() {
        @Override
        public void retrying(String instance, String streamId, int attempt, long retryInMs, Throwable failure) {
            // nobody listens
        }

        @Override
        public void held(String instance, String streamId, int attempt, Throwable failure) {
            // nobody listens
        }
    };
}
