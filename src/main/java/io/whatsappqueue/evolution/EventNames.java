package io.whatsappqueue.evolution;

import java.util.Locale;

/**
 * Evolution event names. Bodies carry the dotted lower-case form ({@code messages.upsert}), subscriptions
 * and some relays the UPPER_SNAKE form ({@code MESSAGES_UPSERT}); both must mean the same event.
 */
public final class EventNames {

    public static final String MESSAGES_UPSERT = "messages.upsert";
    public static final String CONNECTION_UPDATE = "connection.update";
    public static final String MESSAGES_UPDATE = "messages.update";
    /** Evolution's report of a message sent through its API (ours, or another API client's). */
    public static final String SEND_MESSAGE = "send.message";

    private EventNames() {
    }

    /** Lower-cases and turns {@code _} into {@code .}, so {@code MESSAGES_UPSERT} becomes {@code messages.upsert}. */
    public static String normalise(String event) {
        return event.toLowerCase(Locale.ROOT).replace('_', '.');
    }
}
