package io.whatsappqueue.inbound;

import java.time.Duration;

import io.whatsappqueue.evolution.EventNames;
import io.whatsappqueue.evolution.WebhookDecision;
import io.whatsappqueue.logging.PhoneMask;
import io.whatsappqueue.send.OwnSends;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message from our own side of a 1:1 chat that this service did not send means a person answered from the
 * phone (or another linked device): the bot then stays silent in that chat for WA_HUMAN_TAKEOVER_PAUSE_S, so
 * it does not talk over staff. Our own sends are recognised whether their echo comes before or after
 * Evolution's 201 ({@link OwnSends}). A {@code send.message} event never pauses: Evolution emits it only for
 * messages sent through its API, not for typing on the phone. Each new staff message extends the pause.
 */
public final class HumanTakeover {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final OwnSends ownSends;
    private final ChatPauses pauses;
    private final Duration pause;
    private final io.whatsappqueue.observe.WaMetrics metrics;

    public HumanTakeover(OwnSends ownSends, ChatPauses pauses, Duration pause, io.whatsappqueue.observe.WaMetrics metrics) {
        this.ownSends = ownSends;
        this.pauses = pauses;
        this.pause = pause;
        this.metrics = metrics;
    }

    /**
     * Route step for a fromMe message in a 1:1 chat.
     * Reads: property WaDecision. Sets: nothing on the exchange (may pause the chat in Redis).
     */
    public void observe(Exchange exchange) {
        WebhookDecision d = exchange.getProperty(WebhookIntake.DECISION, WebhookDecision.class);
        // asked first, even when no pause follows: recognising an echo remembers its key.id for the next one
        boolean ours = ownSends.isOurs(d.instance(), d.contactId(), d.messageKeyId(), d.ownText());
        if (ours || pause.isZero() || EventNames.SEND_MESSAGE.equals(d.event())) {
            return;
        }
        pauses.pause(d.instance(), d.contactId(), pause, "human_takeover");
        metrics.humanTakeover(d.instance());
        LOG.info("outcome=human_takeover instance={} contact={} paused_s={}", d.instance(),
                PhoneMask.mask(d.contactId()), pause.toSeconds());
    }
}
