package io.whatsappqueue.api;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.ai.ReplySplitter;
import io.whatsappqueue.send.OutboundMessage;

/**
 * How an API message longer than {@code WA_MAX_REPLY_CHARS} travels: cut by the replies' {@link ReplySplitter} into
 * ordered parts, each its own stream entry {@code <message_id>-<k>} (k from 1) whose payload metadata adds
 * {@code part_of} (the API message id), {@code part} and {@code parts}. The status record stays one, the API
 * message's: it is sent when every part was sent (DESIGN §9). A text that fits is one entry under the message id
 * itself, as before.
 */
public final class MessageParts {
    /** Payload metadata field naming the API message a part belongs to. */
    public static final String PART_OF = OutboundMessage.PART_OF;
    private static final ReplySplitter SPLITTER = new ReplySplitter();

    private MessageParts() {
    }

    /** The texts to send, in order, each at most {@code maxChars} (UTF-16 chars) long; one when it fits. */
    public static List<String> split(String text, int maxChars) {
        List<String> parts = SPLITTER.split(text, maxChars);
        return parts.isEmpty() ? List.of(text) : parts;
    }

    /** The stream entry's message id of part {@code k} (1-based) of {@code parts}. */
    public static String partId(String messageId, int k, int parts) {
        return parts == 1 ? messageId : messageId + "-" + k;
    }

    /** Adds the part fields to {@code metadata} (the client's metadata as stored) when there is more than one part. */
    public static void mark(ObjectNode metadata, String messageId, int k, int parts) {
        if (parts > 1) {
            metadata.put(PART_OF, messageId);
            metadata.put("part", k);
            metadata.put("parts", parts);
        }
    }
}
