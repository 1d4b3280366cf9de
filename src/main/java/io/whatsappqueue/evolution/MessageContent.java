package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The answerable text of a WhatsApp {@code message} object, following EVOLUTION_API §3.2: unwrap, then take
 * the first non-blank text in a fixed order. Either {@link #text()} or {@link #ignoreReason()} is set.
 *
 * @param text         the text exactly as sent, or null
 * @param mediaType    {@code image}, {@code video}, {@code document} or {@code audio} when the text is a caption
 *                     or transcript, else null
 * @param contextInfo  the {@code contextInfo} of the content the text came from (quotes of older payloads and
 *                     wrapped messages live there), or null
 * @param ignoreReason why there is nothing to answer, or null
 * @param choiceId     the id of the button or list row the patient chose ({@code selectedButtonId},
 *                     {@code singleSelectReply.selectedRowId}, {@code selectedId}, the native flow's {@code id}),
 *                     or null; untrusted text
 * @param bareMedia    when ignored for lack of text: {@code audio}, {@code sticker}, {@code image}, {@code video} or
 *                     {@code document} when the message was that media with no caption or transcript, else null
 */
record MessageContent(String text, String mediaType, JsonNode contextInfo, IgnoreReason ignoreReason,
                      String choiceId, String bareMedia) {

    /** Evolution's own limit for unwrapping; deeper nesting is not a real message. */
    static final int MAX_WRAPPER_DEPTH = 5;

    private static final List<String> VIEW_ONCE_WRAPPERS =
            List.of("viewOnceMessage", "viewOnceMessageV2", "viewOnceMessageV2Extension");
    private static final List<String> WRAPPERS = List.of("ephemeralMessage", "viewOnceMessage",
            "viewOnceMessageV2", "viewOnceMessageV2Extension", "documentWithCaptionMessage", "editedMessage");

    private static final String SPEECH_TO_TEXT_PREFIX = "[audio] ";

    /** One place text can be: the content type, the path inside it, and the media it implies. */
    private record Source(String contentType, String mediaType, String... path) {
    }

    /** Where the id of a chosen button or list row is, per reply type (§3.2). */
    private static final List<Source> CHOICE_IDS = List.of(
            new Source("buttonsResponseMessage", null, "selectedButtonId"),
            new Source("listResponseMessage", null, "singleSelectReply", "selectedRowId"),
            new Source("templateButtonReplyMessage", null, "selectedId"));

    /** Media with no caption, in the order they are recognised; a voice note or audio is {@code audio}. */
    private static final List<Source> BARE_MEDIA = List.of(
            new Source("stickerMessage", "sticker"),
            new Source("audioMessage", "audio"),
            new Source("imageMessage", "image"),
            new Source("videoMessage", "video"),
            new Source("ptvMessage", "video"),
            new Source("documentMessage", "document"));

    /** The extraction order of §3.2 step 2 (items 1–9; the transcript, item 10, is handled apart). */
    private static final List<Source> SOURCES = List.of(
            new Source("conversation", null),
            new Source("extendedTextMessage", null, "text"),
            new Source("imageMessage", "image", "caption"),
            new Source("videoMessage", "video", "caption"),
            new Source("documentMessage", "document", "caption"),
            new Source("buttonsResponseMessage", null, "selectedDisplayText"),
            new Source("listResponseMessage", null, "title"),
            new Source("listResponseMessage", null, "singleSelectReply", "selectedRowId"),
            new Source("templateButtonReplyMessage", null, "selectedDisplayText"),
            new Source("interactiveResponseMessage", null, "body", "text"));

    /** @param message {@code data.message}; any JSON value */
    static MessageContent of(JsonNode message) {
        if (message == null || !message.isObject()) {
            return ignored(IgnoreReason.NO_TEXT);
        }
        JsonNode content = message;
        boolean viewOnce = false;
        for (int depth = 0; depth < MAX_WRAPPER_DEPTH; depth++) {
            String wrapper = firstPresent(content, WRAPPERS);
            if (wrapper == null) {
                break;
            }
            viewOnce |= VIEW_ONCE_WRAPPERS.contains(wrapper);
            JsonNode inner = JsonFields.object(JsonFields.object(content, wrapper), "message");
            if (inner == null) {
                break;
            }
            content = inner;
        }
        // View-once content is meant to be seen once by a person; never answer it, even its caption.
        if (viewOnce) {
            return ignored(IgnoreReason.VIEW_ONCE);
        }
        if (JsonFields.present(content, "protocolMessage")) {
            return ignored(IgnoreReason.PROTOCOL);
        }
        if (JsonFields.present(content, "reactionMessage") || JsonFields.present(content, "encReactionMessage")) {
            return ignored(IgnoreReason.REACTION);
        }
        for (Source source : SOURCES) {
            String text = source.path().length == 0
                    ? JsonFields.nonBlankAt(content, source.contentType())
                    : JsonFields.nonBlankAt(JsonFields.object(content, source.contentType()), source.path());
            if (text != null) {
                JsonNode context = JsonFields.object(JsonFields.object(content, source.contentType()), "contextInfo");
                return new MessageContent(text, source.mediaType(), context, null, choiceId(content), null);
            }
        }
        // Evolution's speech-to-text puts the transcript next to the content, at the top level.
        String transcript = transcript(message);
        if (transcript == null && content != message) {
            transcript = transcript(content);
        }
        if (transcript != null) {
            return new MessageContent(transcript, "audio", null, null, null, null);
        }
        for (Source media : BARE_MEDIA) {
            if (JsonFields.present(content, media.contentType())) {
                IgnoreReason reason = switch (media.mediaType()) {
                    case "sticker" -> IgnoreReason.STICKER;
                    case "audio" -> IgnoreReason.AUDIO;
                    default -> IgnoreReason.NO_TEXT;
                };
                return new MessageContent(null, null, null, reason, null, media.mediaType());
            }
        }
        return ignored(IgnoreReason.NO_TEXT);
    }

    private static String choiceId(JsonNode content) {
        for (Source source : CHOICE_IDS) {
            String id = JsonFields.nonBlankAt(JsonFields.object(content, source.contentType()), source.path());
            if (id != null) {
                return id;
            }
        }
        // native flow buttons carry their id inside a JSON string: {"id":"talk_to_human", ...}
        String params = JsonFields.nonBlankAt(JsonFields.object(content, "interactiveResponseMessage"),
                "nativeFlowResponseMessage", "paramsJson");
        if (params == null) {
            return null;
        }
        try {
            return JsonFields.nonBlankAt(PARAMS.readTree(params), "id");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // a button whose parameters are not JSON is still answered by its text
            return null;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PARAMS = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String transcript(JsonNode message) {
        String raw = JsonFields.nonBlankAt(message, "speechToText");
        if (raw == null) {
            return null;
        }
        String text = raw.startsWith(SPEECH_TO_TEXT_PREFIX) ? raw.substring(SPEECH_TO_TEXT_PREFIX.length()) : raw;
        return text.isBlank() ? null : text;
    }

    private static String firstPresent(JsonNode content, List<String> fields) {
        for (String field : fields) {
            if (JsonFields.present(content, field)) {
                return field;
            }
        }
        return null;
    }

    private static MessageContent ignored(IgnoreReason reason) {
        return new MessageContent(null, null, null, reason, null, null);
    }
}
