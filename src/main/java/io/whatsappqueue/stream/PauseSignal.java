package io.whatsappqueue.stream;

/**
 * Marks a failure that says "not now" rather than "this entry failed": the Evolution instance is paused, or
 * a stream we must write to is full. The consumer keeps such an entry pending and retries it later without
 * counting an attempt (docs/guarantees.md, I5). Redis being unavailable is treated the same way
 * ({@link Failures}).
 */
public interface PauseSignal {
}
