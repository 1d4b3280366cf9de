package io.whatsappqueue.inbound;

import java.util.Objects;

import io.whatsappqueue.evolution.InstanceNames;

/**
 * One accepted customer message as it waits on {@code wa:<instance>:inbound} for its reply.
 *
 * @param instance      the allow-listed instance name
 * @param keyId         Evolution's {@code key.id}; the reply's message ids derive from it
 * @param replyTo       where the reply goes (phone JID when known, else the LID)
 * @param contactId     stable contact id for memory and pauses (phone JID when known, else the LID)
 * @param text          the extracted text, unmodified; empty for media without text ({@link #isBareMedia()})
 * @param mediaType     image, video, document or audio when the text is a caption or transcript, else null
 * @param quotedText    the text of the message the customer replied to, or null
 * @param quotedId      the quoted message's key.id, or null
 * @param receivedAt    when the webhook received it, epoch seconds (with milliseconds)
 * @param messageTime   WhatsApp's messageTimestamp, epoch seconds, or null
 * @param choiceId      the id of the button or list row the patient chose, or null (untrusted text)
 */
public record InboundEntry(String instance, String keyId, String replyTo, String contactId, String text,
                           String mediaType, String quotedText, String quotedId, double receivedAt,
                           Long messageTime, String choiceId) {

    public InboundEntry {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(text, "text");
    }

    /** A voice note, sticker, or image, video or document without caption: {@link #mediaType()} says which. */
    public boolean isBareMedia() {
        return text.isEmpty();
    }

    /** No text, no numbers: they are personal data. */
    @Override
    public String toString() {
        return "InboundEntry[instance=" + instance + ", keyId=" + InstanceNames.safeForLog(keyId)
                + ", textLength=" + text.length() + ", mediaType=" + mediaType + "]";
    }
}
