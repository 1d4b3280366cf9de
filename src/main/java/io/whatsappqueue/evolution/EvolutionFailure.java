package io.whatsappqueue.evolution;

/**
 * Evolution did not accept a send. {@code kind} says what we do about it (EVOLUTION_API.md §5.4);
 * {@code reason} is a short machine word for the dead-letter entry and metrics.
 */
public class EvolutionFailure extends RuntimeException {

    public enum Kind {
        /** Retrying cannot help (number not on WhatsApp, invalid request, unknown instance): dead-letter now. */
        PERMANENT,
        /** May work later (5xx, timeout, socket closed inside Baileys): retry with back-off. */
        TRANSIENT,
        /** Evolution's WhatsApp connection is down: pause the instance, do not use up attempts. */
        DISCONNECTED,
        /** Our key was refused (401) or the URL redirects (3xx): pause the instance and report, never hot-loop. */
        CONFIGURATION
    }

    private final Kind kind;
    private final String reason;
    private final int httpStatus;

    public EvolutionFailure(Kind kind, String reason, int httpStatus, String detail) {
        super(reason + " (HTTP " + httpStatus + "): " + detail);
        this.kind = kind;
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    public Kind kind() {
        return kind;
    }

    public String reason() {
        return reason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean isPermanent() {
        return kind == Kind.PERMANENT;
    }

    /** The exception class for a kind, so routes can choose the policy by exception type. */
    public static EvolutionFailure of(Kind kind, String reason, int httpStatus, String detail) {
        return switch (kind) {
            case PERMANENT -> new Rejected(reason, httpStatus, detail);
            case TRANSIENT -> new Transient(reason, httpStatus, detail);
            default -> new EvolutionFailure(kind, reason, httpStatus, detail);
        };
    }

    /** Evolution refused this message for good: dead-letter it now. */
    public static class Rejected extends EvolutionFailure {
        public Rejected(String reason, int httpStatus, String detail) {
            super(Kind.PERMANENT, reason, httpStatus, detail);
        }
    }

    /** This try failed but a later one may work: retry, dead-letter after WA_MAX_DELIVERIES. */
    public static class Transient extends EvolutionFailure {
        public Transient(String reason, int httpStatus, String detail) {
            super(Kind.TRANSIENT, reason, httpStatus, detail);
        }
    }
}
