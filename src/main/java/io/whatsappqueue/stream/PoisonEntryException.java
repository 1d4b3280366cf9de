package io.whatsappqueue.stream;

/** An entry that can never be processed (not JSON, missing fields): dead-lettered at once. */
public class PoisonEntryException extends RuntimeException {
    private final String reason;

    public PoisonEntryException(String reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
