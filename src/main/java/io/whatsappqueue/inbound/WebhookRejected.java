package io.whatsappqueue.inbound;

/**
 * A webhook request that gets an error answer (4xx) instead of being processed. Thrown by the route's steps
 * and answered once, by the route configuration's handler. The message is safe to log and to return: any
 * untrusted value in it is already escaped. No stack trace: this is an answer, not a fault.
 */
public final class WebhookRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String instance;

    /** @param instance the allow-listed instance it concerns, or null when not known to be one of ours */
    public WebhookRejected(int status, String code, String message, String instance) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.instance = instance;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String instance() {
        return instance;
    }
}
