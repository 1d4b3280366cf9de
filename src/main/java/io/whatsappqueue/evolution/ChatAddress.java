package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a message's chat is, from its {@code key}: the kind of chat and, for 1:1 chats, where to reply and
 * under which stable id to keep the conversation (EVOLUTION_API §3.5, §3.6).
 *
 * <p>WhatsApp addresses a person either by phone JID ({@code …@s.whatsapp.net}) or by a privacy alias
 * ({@code …@lid}), and Evolution versions differ in which one they put in {@code remoteJid}. The phone JID
 * is preferred for both purposes, so the same person gets the same contact id whichever form arrives.
 *
 * @param kind      what sort of chat this is
 * @param replyTo   1:1 only: the phone JID when known, else the LID; null for other kinds
 * @param contactId 1:1 only: the phone JID when known, else the LID; null for other kinds
 */
record ChatAddress(Kind kind, String replyTo, String contactId) {

    enum Kind { DIRECT, GROUP, STATUS_BROADCAST, BROADCAST, NEWSLETTER, UNSUPPORTED }

    static final String PHONE_SERVER = "s.whatsapp.net";

    /** Digits, an optional {@code :device} suffix (dropped), then a 1:1 server. */
    private static final Pattern DIRECT_JID = Pattern.compile("([0-9]{1,24})(?::[0-9]{1,4})?@(s\\.whatsapp\\.net|lid)");

    /** @param remoteJid {@code key.remoteJid}, already known to be a string */
    static ChatAddress of(String remoteJid, JsonNode key) {
        if (remoteJid.equals("status@broadcast")) {
            return other(Kind.STATUS_BROADCAST);
        }
        if (remoteJid.endsWith("@g.us")) {
            return other(Kind.GROUP);
        }
        if (remoteJid.endsWith("@broadcast")) {
            return other(Kind.BROADCAST);
        }
        if (remoteJid.endsWith("@newsletter")) {
            return other(Kind.NEWSLETTER);
        }
        Matcher chat = DIRECT_JID.matcher(remoteJid);
        if (!chat.matches()) {
            return other(Kind.UNSUPPORTED);
        }
        String chatJid = chat.group(1) + "@" + chat.group(2);
        String phone = PHONE_SERVER.equals(chat.group(2)) ? chatJid : phoneAlternative(key);
        String stable = phone != null ? phone : chatJid;
        return new ChatAddress(Kind.DIRECT, stable, stable);
    }

    /**
     * The phone JID of a LID-addressed sender: {@code remoteJidAlt} (Baileys 7, Evolution 2.3.3+) or
     * {@code senderPn} (2.3.0–2.3.4). Either may be missing or hold another LID.
     */
    private static String phoneAlternative(JsonNode key) {
        for (String field : new String[] {"remoteJidAlt", "senderPn"}) {
            String candidate = JsonFields.string(key, field);
            Matcher alt = candidate == null ? null : DIRECT_JID.matcher(candidate);
            if (alt != null && alt.matches() && PHONE_SERVER.equals(alt.group(2))) {
                return alt.group(1) + "@" + PHONE_SERVER;
            }
        }
        return null;
    }

    private static ChatAddress other(Kind kind) {
        return new ChatAddress(kind, null, null);
    }
}
