package io.whatsappqueue.inbound;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.ai.ChatTurn;
import io.whatsappqueue.evolution.ContactIds;
import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.logging.PhoneMask;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off route's steps (routes/receptionist.camel.yaml, DESIGN §10): the patient's acknowledgement
 * (WA_HANDOFF_REPLY), the staff notice on the send stream to WA_HANDOFF_NOTIFY_TO (the patient's number and their
 * last messages from the chat's memory: clinic data going to the clinic), the event for WA_HANDOFF_WEBHOOK_URL, and
 * the pause (WA_HANDOFF_PAUSE_S, the same pause as a staff takeover, ended by {@code POST
 * /admin/chats/{contact}/resume} or by expiring). Every id derives from the inbound key.id, so a redelivered
 * hand-off queues, notifies and posts nothing twice.
 */
public final class Handoffs {
    /** How the acknowledgement was made, in property WaReplySource and the metrics' {@code source} label. */
    public static final String SOURCE = "handoff";
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");
    private static final ObjectMapper JSON = OutboundMessages.json(); // the project's one mapper
    /** The most earlier messages a staff notice quotes, and the longest quote of one. */
    private static final int NOTICE_TURNS = 6;
    private static final int NOTICE_QUOTE_CHARS = 300;

    private final ReceptionistSettings settings;
    private final ChatMemory memory;
    private final ChatPauses pauses;
    private final Clock clock;
    private final BurstBuffer bursts;

    /** @param bursts the chat's messages held for a burst (WA_DEBOUNCE_MS) are shown to staff with the others */
    public Handoffs(ReceptionistSettings settings, ChatMemory memory, ChatPauses pauses, Clock clock, BurstBuffer bursts) {
        this.settings = settings;
        this.memory = memory;
        this.pauses = pauses;
        this.bursts = bursts;
        this.clock = clock;
    }

    /**
     * Route step: the acknowledgement becomes the reply (queued by direct:reply-enqueue with the usual derived id).
     * Reads: nothing. Sets: body; property WaReplySource (handoff).
     */
    public void acknowledge(Exchange exchange) {
        exchange.getMessage().setBody(settings.handoffReply);
        exchange.setProperty(ReplyDrafts.SOURCE, SOURCE);
    }

    /**
     * Route step: the staff notice as a send-stream entry to WA_HANDOFF_NOTIFY_TO, added once.
     * Reads: property WaInbound. Sets: body (the entry payload); header CamelRedisStreamInstance,
     * CamelRedisStreamAddOnceId, CamelRedisStreamChat.
     */
    public void staffNotice(Exchange exchange) {
        InboundEntry e = entry(exchange);
        String to = ContactIds.normalise(settings.handoffNotifyTo);
        String id = Keys.sha256("wa-handoff-notice\n" + e.instance() + "\n" + e.keyId()).substring(0, 32);
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("handoff_for", e.keyId());
        Message m = exchange.getMessage();
        m.setBody(OutboundMessages.newPayload(id, to, noticeText(e), metadata));
        m.setHeader(RedisStreamConstants.INSTANCE, e.instance());
        m.setHeader(RedisStreamConstants.ADD_ONCE_ID, id);
        m.setHeader(RedisStreamConstants.CHAT, to);
    }

    /**
     * Route step: the hand-off event for WA_HANDOFF_WEBHOOK_URL, as an entry of {@code wa:<inst>:handoffs}, added once;
     * route handoff-webhook POSTs it signed like a status callback. JSON {@code {event: "handoff", instance, contact,
     * key_id, at, paused_until, last_messages: [{role, text}]}}.
     * Reads: property WaInbound. Sets: body (the event JSON); header CamelRedisStreamInstance,
     * CamelRedisStreamAddOnceId, CamelRedisStreamChat.
     */
    public void webhookEvent(Exchange exchange) {
        InboundEntry e = entry(exchange);
        String contact = ContactIds.normalise(e.contactId());
        ObjectNode event = JSON.createObjectNode();
        event.put("event", "handoff");
        event.put("instance", e.instance());
        event.put("contact", contact);
        event.put("key_id", e.keyId());
        event.put("at", clock.instant().toString());
        event.put("paused_until", clock.instant().plusSeconds(settings.handoffPauseSeconds).toString());
        ArrayNode last = event.putArray("last_messages");
        for (ChatTurn turn : lastTurns(e)) {
            last.addObject().put("role", turn.role().name().toLowerCase(java.util.Locale.ROOT)).put("text", turn.text());
        }
        String id = Keys.sha256("wa-handoff-event\n" + e.instance() + "\n" + e.keyId()).substring(0, 32);
        Message m = exchange.getMessage();
        m.setBody(event.toString());
        m.setHeader(RedisStreamConstants.INSTANCE, e.instance());
        m.setHeader(RedisStreamConstants.ADD_ONCE_ID, id);
        m.setHeader(RedisStreamConstants.CHAT, id);
    }

    /**
     * Route step, last: the chat is paused like a staff takeover, so the bot stays silent until staff resume it or
     * the pause ends. Last so that a crash before it redoes the (idempotent) steps above on redelivery.
     * Reads: property WaInbound. Sets: nothing on the exchange (the pause in Redis, a log line; the acknowledgement
     * is counted as wa_ai_replies_total{source="handoff"}).
     */
    public void pause(Exchange exchange) {
        InboundEntry e = entry(exchange);
        pauses.pause(e.instance(), e.contactId(), Duration.ofSeconds(settings.handoffPauseSeconds), SOURCE);
        LOG.info("outcome=handoff instance={} in_reply_to={} contact={} paused_s={} notify={} webhook={}", e.instance(),
                InstanceNames.safeForLog(e.keyId()), PhoneMask.mask(e.contactId()), settings.handoffPauseSeconds,
                settings.handoffNotifyTo != null, settings.handoffWebhookUrl != null);
    }

    private String noticeText(InboundEntry e) {
        String contact = ContactIds.normalise(e.contactId());
        String number = contact.indexOf('@') < 0 ? "+" + contact : contact;
        StringBuilder s = new StringBuilder("A patient asked to talk to a person: ").append(number)
                .append(". The bot is paused in that chat for ").append(hours(settings.handoffPauseSeconds))
                .append("; answer them from the clinic's WhatsApp. Their last messages:");
        for (ChatTurn turn : lastTurns(e)) {
            s.append('\n').append(turn.role() == ChatTurn.Role.USER ? "Patient: " : "Bot: ").append(quote(turn.text()));
        }
        return s.toString();
    }

    /**
     * The chat's memory (which holds this message and its acknowledgement by now), else this message alone, with the
     * messages still held in the chat's burst (written just before the request, not answered, and never answered once
     * the chat is paused) before this message.
     */
    private List<ChatTurn> lastTurns(InboundEntry e) {
        List<ChatTurn> turns = new ArrayList<>(memory.recent(e.instance(), e.contactId()));
        if (turns.isEmpty()) {
            turns.add(ChatTurn.user(e.text()));
        }
        int at = turns.size();
        for (int i = turns.size() - 1; i >= 0; i--) {
            if (turns.get(i).role() == ChatTurn.Role.USER) {
                at = i;
                break;
            }
        }
        List<ChatTurn> held = bursts.heldTexts(e.instance(), e.contactId()).stream().map(ChatTurn::user).toList();
        turns.addAll(at, held);
        return turns.subList(Math.max(0, turns.size() - NOTICE_TURNS - held.size()), turns.size());
    }

    private static String quote(String text) {
        if (text.length() <= NOTICE_QUOTE_CHARS) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(NOTICE_QUOTE_CHARS - 1)) ? NOTICE_QUOTE_CHARS - 1 : NOTICE_QUOTE_CHARS;
        return text.substring(0, cut) + "…";
    }

    private static String hours(long seconds) {
        return seconds % 3600 == 0 ? seconds / 3600 + " h" : Math.max(1, seconds / 60) + " min";
    }

    private static InboundEntry entry(Exchange exchange) {
        return exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
    }
}
