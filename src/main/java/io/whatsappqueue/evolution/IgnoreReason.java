package io.whatsappqueue.evolution;

/**
 * Why a well-formed webhook creates no reply job. A closed set, so it can label a metric without
 * letting payload text into label values.
 */
public enum IgnoreReason {
    /** Our own side of the chat (phone, other linked device or our API echo); also prevents loops. */
    FROM_ME("from_me"),
    GROUP("group"),
    STATUS_BROADCAST("status_broadcast"),
    BROADCAST("broadcast"),
    NEWSLETTER("newsletter"),
    /** A chat JID that is none of the known kinds, or a 1:1 JID whose user part is not a number. */
    UNSUPPORTED_CHAT("unsupported_chat"),
    /** Older than the freshness window: Baileys delivers backlog after a long disconnect. */
    STALE("stale"),
    VIEW_ONCE("view_once"),
    REACTION("reaction"),
    STICKER("sticker"),
    /** Voice note or audio without an Evolution speech-to-text transcript. */
    AUDIO("audio"),
    PROTOCOL("protocol"),
    /** No extractable, non-blank text (media without caption, location, contact, poll, ...). */
    NO_TEXT("no_text"),
    /** A {@code connection.update} whose state is missing or not one we know. */
    UNKNOWN_CONNECTION_STATE("unknown_connection_state"),
    EVENT_NOT_HANDLED("event_not_handled");

    private final String code;

    IgnoreReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
