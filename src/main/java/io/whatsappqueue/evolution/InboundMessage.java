package io.whatsappqueue.evolution;

import java.util.Objects;

/**
 * A customer's 1:1 message that deserves a reply.
 *
 * @param instance         the Evolution instance name (already checked against the allow-list)
 * @param messageKeyId     {@code key.id}, the de-duplication key together with the instance; untrusted text
 * @param remoteJid        the chat JID exactly as received ({@code @s.whatsapp.net} or {@code @lid})
 * @param replyTo          where to send the answer (EVOLUTION_API §3.6): the phone JID when known, else the LID
 * @param contactId        stable contact id for conversation state: the phone JID when known, else the LID
 * @param text             the extracted text, unmodified (only a speech-to-text {@code "[audio] "} prefix is removed);
 *                         empty for media without any text (voice note, sticker, uncaptioned image or document),
 *                         which is queued only when WA_NON_TEXT_REPLY is set
 * @param messageTimestamp epoch seconds, or null when the payload had none
 * @param pushName         the sender's display name, or null
 * @param mediaType        {@code image}, {@code video}, {@code document} or {@code audio} when the text came with
 *                         media (a caption or a transcript), else null
 * @param quoted           the message this one replies to, or null
 * @param choiceId         the id of the button or list row chosen, or null (untrusted text)
 */
public record InboundMessage(
        String instance,
        String messageKeyId,
        String remoteJid,
        String replyTo,
        String contactId,
        String text,
        Long messageTimestamp,
        String pushName,
        String mediaType,
        QuotedContext quoted,
        String choiceId) {

    public InboundMessage {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(messageKeyId, "messageKeyId");
        Objects.requireNonNull(remoteJid, "remoteJid");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(text, "text");
    }

    public boolean hasMedia() {
        return mediaType != null;
    }

    /** Media without any text (then {@link #mediaType()} says which); answered only with WA_NON_TEXT_REPLY. */
    public boolean isBareMedia() {
        return text.isEmpty();
    }

    /** Leaves out the text, the name and the numbers: they are personal data and must not reach logs. */
    @Override
    public String toString() {
        return "InboundMessage[instance=" + instance
                + ", messageKeyId=" + InstanceNames.safeForLog(messageKeyId)
                + ", textLength=" + text.length()
                + ", messageTimestamp=" + messageTimestamp
                + ", mediaType=" + mediaType
                + ", quoted=" + (quoted != null) + "]";
    }
}
