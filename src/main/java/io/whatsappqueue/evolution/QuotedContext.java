package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The message a customer replied to.
 *
 * @param stanzaId    {@code contextInfo.stanzaId}: the quoted message's {@code key.id}; may be null
 * @param participant who wrote the quoted message (our own number when the customer quotes our reply); may be null
 * @param text        the quoted text when it was plain or extended text; null for buttons, media, ...
 */
public record QuotedContext(String stanzaId, String participant, String text) {

    /**
     * @param contextInfo a {@code contextInfo} object, or null
     * @return the quote it describes, or null when it describes none (e.g. only an expiration)
     */
    static QuotedContext from(JsonNode contextInfo) {
        String stanzaId = JsonFields.nonBlankAt(contextInfo, "stanzaId");
        JsonNode quoted = JsonFields.object(contextInfo, "quotedMessage");
        String text = JsonFields.nonBlankAt(quoted, "conversation");
        if (text == null) {
            text = JsonFields.nonBlankAt(quoted, "extendedTextMessage", "text");
        }
        if (stanzaId == null && text == null) {
            return null;
        }
        return new QuotedContext(stanzaId, JsonFields.nonBlankAt(contextInfo, "participant"), text);
    }
}
