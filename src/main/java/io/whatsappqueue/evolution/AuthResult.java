package io.whatsappqueue.evolution;

import java.util.Objects;

/** Outcome of {@link WebhookAuthenticator#check(String, String)}: accepted, or denied with a machine reason. */
public final class AuthResult {

    public static final String MISSING_CREDENTIALS = "missing_credentials";
    public static final String BAD_TOKEN = "bad_token";
    public static final String BAD_SIGNATURE = "bad_signature";
    public static final String EXPIRED = "expired";

    private static final AuthResult OK = new AuthResult(null);

    private final String reason;

    private AuthResult(String reason) {
        this.reason = reason;
    }

    public static AuthResult ok() {
        return OK;
    }

    /** @param reason one of the constants of this class */
    public static AuthResult denied(String reason) {
        return new AuthResult(Objects.requireNonNull(reason, "reason"));
    }

    public boolean isOk() {
        return reason == null;
    }

    /** Null when ok, else {@code missing_credentials}, {@code bad_token}, {@code bad_signature} or {@code expired}. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return isOk() ? "AuthResult[ok]" : "AuthResult[denied: " + reason + "]";
    }
}
