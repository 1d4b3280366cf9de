package io.whatsappqueue.send;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A reply to send, in the previous system's entry format: one field {@code payload} holding JSON
 * {@code {message_id, to, text, queued_at, attempts, metadata}}. {@code raw} keeps every field as read so a
 * dead letter carries the payload unchanged.
 */
public record OutboundMessage(String messageId, String to, String text, double queuedAt, int attempts,
                              ObjectNode metadata, ObjectNode raw) {
}
