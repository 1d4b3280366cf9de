package io.whatsappqueue.console;

/**
 * A console request that cannot be served as asked: rendered by {@link ConsolePages#error} as a page with this
 * status and sentence. {@code login} asks for the login form instead (no or an expired session).
 */
public class ConsoleException extends RuntimeException {
    private final int status;
    private final boolean login;

    public ConsoleException(int status, String message, boolean login) {
        super(message);
        this.status = status;
        this.login = login;
    }

    public int status() {
        return status;
    }

    public boolean login() {
        return login;
    }

    static ConsoleException loginNeeded(String why) {
        return new ConsoleException(401, why, true);
    }
}
