package io.whatsappqueue.send;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.whatsappqueue.evolution.ContactIds;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import io.whatsappqueue.stream.EntryScripts;
import io.whatsappqueue.stream.PoisonEntryException;
import io.whatsappqueue.stream.StreamEntry;

/**
 * The send route's Redis work inside the stream engine's scripts (lua/send/entry-hooks.lua), so a sent message
 * costs one script call of its own, its finish (bench/send/README.md, "Redis cost"):
 * <ul>
 * <li>admission, with the read (heads.lua) or by {@link SendAdmission} when that answer is missing or old: the
 * send marker (sent before?), the recipient's opt-out, the status claim (cancelled? else leaving, attempt
 * counted), and the expected echo of the text ({@link OwnSends});</li>
 * <li>with the acknowledgement (finish.lua): status sent with Evolution's id, and the expected echo used up.</li>
 * </ul>
 * Every key is the entry's instance's (redis.Keys), so each call stays in one hash slot in Cluster mode.
 */
public final class SendEntryScripts implements EntryScripts {
    private static final String LUA = LuaScripts.plain("status/lib.lua") + "\n" + LuaScripts.plain("send/entry-hooks.lua");

    private final long statusTtlMs;
    private final boolean callbacks;
    private final Duration echoTtl;

    /**
     * @param statusTtlMs how long a status record is kept (WA_STATUS_TTL_DAYS), ms
     * @param callbacks   whether status changes go to the callback outbox (MessageStatuses)
     * @param echoTtl     how long an expected echo waits (WA_ECHO_EXPECT_TTL_S)
     */
    public SendEntryScripts(long statusTtlMs, boolean callbacks, Duration echoTtl) {
        this.statusTtlMs = statusTtlMs;
        this.callbacks = callbacks;
        this.echoTtl = echoTtl;
    }

    @Override
    public String lua() {
        return LUA;
    }

    /** The admission of an entry just read; null for an entry the route will dead-letter (no readable payload). */
    @Override
    public Call admission(StreamEntry e) {
        OutboundMessage m;
        try {
            m = OutboundMessages.parse(e.fields().get("payload"), e.id());
        } catch (PoisonEntryException x) {
            return null;
        }
        return admission(e.instance(), m, false);
    }

    /**
     * wq_admit's keys and arguments for {@code m}.
     *
     * @param counted this try's attempt is already counted (an admission with the read answered go, now too old)
     */
    Call admission(String instance, OutboundMessage m, boolean counted) {
        long now = System.currentTimeMillis();
        // the sent marker is the entry's own; the status record may be its API message's (a part of a long text)
        List<String> keys = new ArrayList<>(List.of(Keys.sent(instance, m.messageId()), Keys.status(instance, m.statusId()),
                Keys.expectedEchoes(instance, m.to())));
        String contact = ContactIds.normalise(m.to());
        if (contact != null) {
            keys.add(Keys.optOut(instance, Keys.chat(contact)));
        }
        if (callbacks) {
            keys.add(Keys.statusCallbacks(instance));
        }
        List<String> args = List.of(m.statusId(), instance, m.to(), Instant.ofEpochMilli(now).toString(),
                String.valueOf(statusTtlMs), OwnSends.member(m), String.valueOf(now + echoTtl.toMillis()),
                String.valueOf(echoTtl.toMillis()), counted ? "1" : "0", contact != null ? "1" : "0", callbacks ? "1" : "0",
                m.part());
        return new Call(keys, args);
    }

    /** wq_finished's keys and arguments: {@code m} was accepted by Evolution under {@code evolutionId} (may be empty). */
    Call sent(String instance, OutboundMessage m, String evolutionId) {
        String evo = evolutionId == null ? "" : evolutionId;
        List<String> keys = new ArrayList<>(List.of(Keys.status(instance, m.statusId()), Keys.statusByEvolutionId(instance, evo),
                Keys.earlyStatus(instance, evo), Keys.expectedEchoes(instance, m.to())));
        if (callbacks) {
            keys.add(Keys.statusCallbacks(instance));
        }
        return new Call(keys, List.of(Instant.now().toString(), String.valueOf(statusTtlMs), evo, m.statusId(), instance,
                m.to(), OwnSends.member(m), callbacks ? "1" : "0", m.part()));
    }
}
