package io.whatsappqueue.evolution;

import java.util.Objects;

/**
 * What the webhook should do with one Evolution event. Immutable; build it with the static factories.
 *
 * <ul>
 *   <li>{@link Kind#QUEUE}: {@link #inbound()} is set; answer 200 and append a reply job.</li>
 *   <li>{@link Kind#IGNORE}: {@link #ignoreReason()} is set; answer 200, queue nothing.</li>
 *   <li>{@link Kind#CONNECTION}: {@link #connectionState()} is set; answer 200 and drive the send gate.</li>
 *   <li>{@link Kind#REJECT}: {@link #rejectReason()} and {@link #message()} are set; answer {@link #httpStatus()}.</li>
 * </ul>
 *
 * <p>For QUEUE and IGNORE decisions of message events, {@link #messageKeyId()}, {@link #fromMe()} and, in 1:1
 * chats, {@link #contactId()} / {@link #replyTo()} are filled in when the payload had them, so a caller can
 * record a human takeover (reason {@code from_me}) or send a canned answer to a voice note.
 */
public final class WebhookDecision {

    public enum Kind { QUEUE, IGNORE, CONNECTION, REJECT }

    private final Kind kind;
    private final String instance;
    private final String event;
    private final String messageKeyId;
    private final Boolean fromMe;
    private final String contactId;
    private final String replyTo;
    private final InboundMessage inbound;
    private final IgnoreReason ignoreReason;
    private final ConnectionState connectionState;
    private final Integer statusReason;
    private final RejectReason rejectReason;
    private final String message;
    private final String ownText;
    private final String deliveryStatus;

    private WebhookDecision(Kind kind, String instance, String event, String messageKeyId, Boolean fromMe,
                            String contactId, String replyTo, InboundMessage inbound, IgnoreReason ignoreReason,
                            ConnectionState connectionState, Integer statusReason, RejectReason rejectReason,
                            String message, String ownText) {
        this(kind, instance, event, messageKeyId, fromMe, contactId, replyTo, inbound, ignoreReason, connectionState,
                statusReason, rejectReason, message, ownText, null);
    }

    private WebhookDecision(Kind kind, String instance, String event, String messageKeyId, Boolean fromMe,
                            String contactId, String replyTo, InboundMessage inbound, IgnoreReason ignoreReason,
                            ConnectionState connectionState, Integer statusReason, RejectReason rejectReason,
                            String message, String ownText, String deliveryStatus) {
        this.deliveryStatus = deliveryStatus;
        this.kind = kind;
        this.instance = instance;
        this.event = event;
        this.messageKeyId = messageKeyId;
        this.fromMe = fromMe;
        this.contactId = contactId;
        this.replyTo = replyTo;
        this.inbound = inbound;
        this.ignoreReason = ignoreReason;
        this.connectionState = connectionState;
        this.statusReason = statusReason;
        this.rejectReason = rejectReason;
        this.message = message;
        this.ownText = ownText;
    }

    public static WebhookDecision queue(InboundMessage inbound) {
        Objects.requireNonNull(inbound, "inbound");
        return new WebhookDecision(Kind.QUEUE, inbound.instance(), EventNames.MESSAGES_UPSERT,
                inbound.messageKeyId(), Boolean.FALSE, inbound.contactId(), inbound.replyTo(), inbound,
                null, null, null, null, null, null);
    }

    /**
     * @param event        normalised event name ({@link EventNames#normalise(String)})
     * @param messageKeyId {@code key.id} when present, else null
     * @param fromMe       {@code key.fromMe} when present, else null
     * @param contactId    the 1:1 chat's contact id when known, else null
     * @param replyTo      the 1:1 chat's reply target when known, else null
     */
    public static WebhookDecision ignore(IgnoreReason reason, String instance, String event, String messageKeyId,
                                         Boolean fromMe, String contactId, String replyTo) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(instance, "instance");
        return new WebhookDecision(Kind.IGNORE, instance, event, messageKeyId, fromMe, contactId, replyTo,
                null, reason, null, null, null, null, null);
    }

    /**
     * Our own side's message in a 1:1 chat ({@code fromMe}): typed by staff on the phone or another linked
     * device, or the echo of one of our sends. Ignored for replies; the caller tells the two apart.
     *
     * @param reason  {@code from_me} for {@code messages.upsert}; {@code event_not_handled} for {@code send.message}
     *                (only ever an API send; the answer it always had)
     * @param event   {@code messages.upsert} or {@code send.message}
     * @param ownText the message's text, or null when it has none (media without caption)
     */
    public static WebhookDecision ownMessage(IgnoreReason reason, String instance, String event, String messageKeyId,
                                             String contactId, String replyTo, String ownText) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(instance, "instance");
        return new WebhookDecision(Kind.IGNORE, instance, event, messageKeyId, Boolean.TRUE, contactId, replyTo,
                null, reason, null, null, null, null, ownText);
    }

    /**
     * {@code messages.update} of one of our sends ({@code fromMe}): Evolution's {@code keyId} in
     * {@link #messageKeyId()} and its status ({@code DELIVERY_ACK}, {@code READ}, {@code PLAYED}, …) in
     * {@link #deliveryStatus()}. Acknowledged as ignored for replies (nothing is queued); the message's status record
     * takes it (DESIGN §9).
     */
    public static WebhookDecision deliveryUpdate(String instance, String keyId, String status) {
        Objects.requireNonNull(instance, "instance");
        return new WebhookDecision(Kind.IGNORE, instance, EventNames.MESSAGES_UPDATE, keyId, Boolean.TRUE, null, null,
                null, IgnoreReason.EVENT_NOT_HANDLED, null, null, null, null, null, status);
    }

    /** Evolution's delivery status of a {@link #deliveryUpdate}, else null. */
    public String deliveryStatus() {
        return deliveryStatus;
    }

    /** @param statusReason {@code data.statusReason} (e.g. 401 logged out), or null */
    public static WebhookDecision connection(String instance, ConnectionState state, Integer statusReason) {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(state, "state");
        return new WebhookDecision(Kind.CONNECTION, instance, EventNames.CONNECTION_UPDATE, null, null, null,
                null, null, null, state, statusReason, null, null, null);
    }

    /** @param message human sentence; any untrusted value in it must already be escaped */
    public static WebhookDecision reject(RejectReason reason, String message) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        return new WebhookDecision(Kind.REJECT, null, null, null, null, null, null, null, null, null, null,
                reason, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** 200 for everything but REJECT. */
    public int httpStatus() {
        return rejectReason == null ? 200 : rejectReason.httpStatus();
    }

    /** The validated, allow-listed instance name; null for REJECT (the name may be hostile). */
    public String instance() {
        return instance;
    }

    /**
     * The lower-case dotted event name (e.g. {@code messages.edited}); null for REJECT. Untrusted text for
     * unhandled events: compare it, do not use it as a metric label or key.
     */
    public String event() {
        return event;
    }

    public String messageKeyId() {
        return messageKeyId;
    }

    public Boolean fromMe() {
        return fromMe;
    }

    public String contactId() {
        return contactId;
    }

    public String replyTo() {
        return replyTo;
    }

    public InboundMessage inbound() {
        return inbound;
    }

    /** The text of our own side's message ({@link #ownMessage}), or null. Personal data: never log it. */
    public String ownText() {
        return ownText;
    }

    public IgnoreReason ignoreReason() {
        return ignoreReason;
    }

    /** The machine code of the ignore reason ({@code from_me}, {@code group}, ...), or null. */
    public String reason() {
        return ignoreReason == null ? null : ignoreReason.code();
    }

    public ConnectionState connectionState() {
        return connectionState;
    }

    public Integer statusReason() {
        return statusReason;
    }

    public RejectReason rejectReason() {
        return rejectReason;
    }

    /** The machine code of the rejection ({@code invalid_json}, {@code unknown_instance}, ...), or null. */
    public String errorCode() {
        return rejectReason == null ? null : rejectReason.code();
    }

    /** Human sentence for a REJECT; safe to log and to return to the caller. */
    public String message() {
        return message;
    }

    /** Leaves out message text and phone numbers: they are personal data. */
    @Override
    public String toString() {
        return switch (kind) {
            case QUEUE -> "WebhookDecision[QUEUE " + inbound + "]";
            case IGNORE -> "WebhookDecision[IGNORE reason=" + reason() + ", instance=" + instance
                    + ", event=" + InstanceNames.safeForLog(event) + "]";
            case CONNECTION -> "WebhookDecision[CONNECTION instance=" + instance + ", state="
                    + connectionState.wireName() + ", statusReason=" + statusReason + "]";
            case REJECT -> "WebhookDecision[REJECT " + httpStatus() + " " + errorCode() + ": " + message + "]";
        };
    }
}
