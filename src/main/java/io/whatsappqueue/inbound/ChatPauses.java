package io.whatsappqueue.inbound;

import java.time.Duration;

import io.whatsappqueue.admin.ChatControls;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply route's view of the chat controls: whether the bot must stay silent in a chat (an operator's or
 * a human takeover's pause, or the patient's STOP), and the patient's own STOP / START keywords. The state
 * itself lives in one place, {@link ChatControls}, shared with the admin API.
 */
public final class ChatPauses {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final ChatControls controls;

    public ChatPauses(ChatControls controls) {
        this.controls = controls;
    }

    /** Whether the bot must not answer this contact now: paused (until the pause ends) or opted out. */
    public boolean isPaused(String instance, String contactId) {
        return controls.isPaused(instance, contactId) || controls.isOptedOut(instance, contactId);
    }

    /**
     * Reply route step: the inbound event's chat is paused or opted out.
     * Reads: property WaInbound. Sets: nothing; returns whether the chat is paused or opted out (a filter).
     */
    public boolean isPaused(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        return isPaused(e.instance(), e.contactId());
    }

    /** Silences the bot in this chat for {@code duration} from now. */
    public void pause(String instance, String contactId, Duration duration, String reason) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        controls.pause(instance, contactId, duration);
        LOG.info("outcome=chat_paused instance={} reason={} minutes={}", instance, reason, duration.toMinutes());
    }

    /**
     * Reply route step, before the pause check: a message that is exactly an opt-out keyword (STOP) silences
     * the bot for this contact and gets no reply (true: stop here); an opt-in keyword (START) lifts that and
     * is answered like any message (false).
     * Reads: property WaInbound. Sets: nothing on the exchange (the opt-out in Redis); returns true to stop here.
     */
    public boolean optKeyword(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        return controls.optKeyword(e.text()).map(optOut -> {
            controls.setOptOut(e.instance(), e.contactId(), optOut);
            LOG.info("outcome={} instance={} key_id={}", optOut ? "opted_out" : "opted_in", e.instance(), e.keyId());
            return optOut;
        }).orElse(false);
    }
}
