package io.whatsappqueue.send;

import io.whatsappqueue.stream.PauseSignal;

/**
 * Sending is paused for the instance (SendGate): the entry waits in Redis and its attempt is not used. Not
 * handled by the send route's error policy; the stream consumer holds the entry until the gate opens.
 */
public class SendPaused extends RuntimeException implements PauseSignal {
    /**
     * The failure that paused sending is named in the message, not attached as the cause: Camel's onException
     * matches causes too, and a pause must never reach the send route's error policy.
     */
    public SendPaused(String instance, String reason, Throwable failure) {
        super("sending paused for instance " + instance + " (" + reason + "): " + failure.getMessage());
    }
}
