package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides whether one {@code messages.upsert} deserves an answer (EVOLUTION_API §9): only a customer's
 * recent 1:1 message with text does. Everything else is ignored with a reason.
 */
final class MessagesUpsert {

    static final int MAX_KEY_ID_LENGTH = 128;

    private MessagesUpsert() {
    }

    /**
     * @param instance        the validated instance name
     * @param data            the envelope's {@code data}
     * @param maxAgeSeconds   0 disables the freshness check
     * @param bareMediaWork   true (WA_NON_TEXT_REPLY set): media without text (voice note, sticker, image or
     *                        document without caption) is queued for its canned answer instead of ignored
     * @throws MalformedEventException when {@code key}, {@code key.id}, {@code key.remoteJid}, {@code key.fromMe}
     *                                 or {@code messageTimestamp} is missing or of the wrong type
     */
    static WebhookDecision decide(String instance, JsonNode data, long nowEpochSeconds, long maxAgeSeconds,
                                  boolean bareMediaWork) throws MalformedEventException {
        JsonNode key = JsonFields.object(data, "key");
        if (key == null) {
            throw new MalformedEventException("messages.upsert needs an object data.key");
        }
        String keyId = JsonFields.nonBlankAt(key, "id");
        // Opaque, but real ids are 16-32 characters; a longer one is not from WhatsApp and would bloat dedupe keys.
        if (keyId == null || keyId.length() > MAX_KEY_ID_LENGTH) {
            throw new MalformedEventException("data.key.id must be a non-empty string of at most "
                    + MAX_KEY_ID_LENGTH + " characters");
        }
        String remoteJid = JsonFields.nonBlankAt(key, "remoteJid");
        if (remoteJid == null) {
            throw new MalformedEventException("data.key.remoteJid must be a non-empty string");
        }
        JsonNode fromMeNode = key.get("fromMe");
        // Guessing here could make us answer our own messages, in a loop.
        if (fromMeNode == null || !fromMeNode.isBoolean()) {
            throw new MalformedEventException("data.key.fromMe must be true or false");
        }
        boolean fromMe = fromMeNode.booleanValue();
        Long timestamp = EpochSeconds.read(data.get("messageTimestamp"), "data.messageTimestamp");

        ChatAddress chat = ChatAddress.of(remoteJid, key);
        IgnoreReason chatReason = switch (chat.kind()) {
            case DIRECT -> null;
            case GROUP -> IgnoreReason.GROUP;
            case STATUS_BROADCAST -> IgnoreReason.STATUS_BROADCAST;
            case BROADCAST -> IgnoreReason.BROADCAST;
            case NEWSLETTER -> IgnoreReason.NEWSLETTER;
            case UNSUPPORTED -> IgnoreReason.UNSUPPORTED_CHAT;
        };
        if (chatReason != null) {
            return ignore(chatReason, instance, keyId, fromMe, chat);
        }
        // Our own message in a 1:1 chat: staff typed on the phone (the caller may hand the chat to a human),
        // or the echo of our own send, which the caller recognises by its key.id or its text.
        if (fromMe) {
            return WebhookDecision.ownMessage(IgnoreReason.FROM_ME, instance, EventNames.MESSAGES_UPSERT, keyId,
                    chat.contactId(), chat.replyTo(), MessageContent.of(data.get("message")).text());
        }
        if (maxAgeSeconds > 0 && timestamp != null && timestamp < nowEpochSeconds - maxAgeSeconds) {
            return ignore(IgnoreReason.STALE, instance, keyId, false, chat);
        }
        MessageContent content = MessageContent.of(data.get("message"));
        if (content.ignoreReason() != null && bareMediaWork && content.bareMedia() != null) {
            return WebhookDecision.queue(new InboundMessage(instance, keyId, remoteJid, chat.replyTo(),
                    chat.contactId(), "", timestamp, JsonFields.string(data, "pushName"), content.bareMedia(), null,
                    null));
        }
        if (content.ignoreReason() != null) {
            return ignore(content.ignoreReason(), instance, keyId, false, chat);
        }
        // Since 2.2.0 Evolution moves the quote to data.contextInfo; older and wrapped payloads keep it inside.
        QuotedContext quoted = QuotedContext.from(JsonFields.object(data, "contextInfo"));
        if (quoted == null) {
            quoted = QuotedContext.from(content.contextInfo());
        }
        return WebhookDecision.queue(new InboundMessage(instance, keyId, remoteJid, chat.replyTo(), chat.contactId(),
                content.text(), timestamp, JsonFields.string(data, "pushName"), content.mediaType(), quoted,
                content.choiceId()));
    }

    /**
     * {@code send.message}: Evolution reporting a message sent through its API, shaped like an upsert. Only a
     * well-formed 1:1 {@code fromMe} one is an own message; anything else is an event we do not handle
     * (never a rejection: it creates no work either way).
     */
    static WebhookDecision sentByApi(String instance, JsonNode data) {
        JsonNode key = JsonFields.object(data, "key");
        String keyId = JsonFields.nonBlankAt(key, "id");
        String remoteJid = JsonFields.nonBlankAt(key, "remoteJid");
        JsonNode fromMe = key == null ? null : key.get("fromMe");
        if (keyId == null || keyId.length() > MAX_KEY_ID_LENGTH || remoteJid == null || fromMe == null
                || !fromMe.isBoolean() || !fromMe.booleanValue()) {
            return WebhookDecision.ignore(IgnoreReason.EVENT_NOT_HANDLED, instance, EventNames.SEND_MESSAGE, keyId,
                    fromMe != null && fromMe.isBoolean() ? fromMe.booleanValue() : null, null, null);
        }
        ChatAddress chat = ChatAddress.of(remoteJid, key);
        if (chat.kind() != ChatAddress.Kind.DIRECT) {
            return WebhookDecision.ignore(IgnoreReason.EVENT_NOT_HANDLED, instance, EventNames.SEND_MESSAGE, keyId,
                    true, null, null);
        }
        return WebhookDecision.ownMessage(IgnoreReason.EVENT_NOT_HANDLED, instance, EventNames.SEND_MESSAGE, keyId,
                chat.contactId(), chat.replyTo(), MessageContent.of(data.get("message")).text());
    }

    private static WebhookDecision ignore(IgnoreReason reason, String instance, String keyId, boolean fromMe,
                                          ChatAddress chat) {
        return WebhookDecision.ignore(reason, instance, EventNames.MESSAGES_UPSERT, keyId, fromMe,
                chat.contactId(), chat.replyTo());
    }
}
