package io.whatsappqueue.stream;

/**
 * Decides, per instance, whether entries may be dispatched and whether a failure uses up an attempt.
 * The send route's gate pauses an instance whose Evolution is down or rejects our key; while paused,
 * entries stay pending in Redis and their attempts are not consumed.
 */
public interface DispatchGate {

    enum Decision {
        /** A real attempt failed: count it and retry after back-off. */
        COUNT,
        /** The instance is paused: keep the entry pending, do not count, retry when the gate opens. */
        HOLD
    }

    boolean isOpen(String instance);

    Decision onFailure(String instance, Throwable failure);

    void onSuccess(String instance);

    DispatchGate ALWAYS_OPEN = new DispatchGate() {
        @Override
        public boolean isOpen(String instance) {
            return true;
        }

        @Override
        public Decision onFailure(String instance, Throwable failure) {
            return Decision.COUNT;
        }

        @Override
        public void onSuccess(String instance) {
            // nothing to track
        }
    };
}
