package io.whatsappqueue.evolution;

import java.util.Locale;
import java.util.Optional;

/** The {@code data.state} values of Evolution's {@code connection.update} event. */
public enum ConnectionState {
    OPEN,
    CONNECTING,
    /** Sent only when Evolution gave up reconnecting (logged out, banned): sending must pause. */
    CLOSE,
    /** QR retry limit reached: also needs an operator. */
    REFUSED;

    /** The lower-case name Evolution uses on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ConnectionState> fromWire(String state) {
        if (state == null) {
            return Optional.empty();
        }
        for (ConnectionState candidate : values()) {
            if (candidate.wireName().equalsIgnoreCase(state)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
