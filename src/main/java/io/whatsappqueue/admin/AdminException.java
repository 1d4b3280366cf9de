package io.whatsappqueue.admin;

/**
 * An admin call that cannot be answered as asked. Becomes {@code {"error":code,"message":message}} with the
 * given HTTP status; the message is a sentence an operator can act on.
 */
public class AdminException extends RuntimeException {
    private final int status;
    private final String code;

    public AdminException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static AdminException badParameter(String message) {
        return new AdminException(400, "invalid_parameter", message);
    }
}
