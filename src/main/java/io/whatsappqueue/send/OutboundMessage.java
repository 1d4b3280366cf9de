package io.whatsappqueue.send;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A reply to send, in the previous system's entry format: one field {@code payload} holding JSON
 * {@code {message_id, to, text, queued_at, attempts, metadata}}. {@code raw} keeps every field as read so a
 * dead letter carries the payload unchanged.
 */
public record OutboundMessage(String messageId, String to, String text, double queuedAt, int attempts,
                              ObjectNode metadata, ObjectNode raw) {
    /** Payload metadata field of a part of a long API message: the API message's id (api.MessageParts). */
    public static final String PART_OF = "part_of";

    /** The id of the status record this entry reports to: its metadata's {@code part_of}, else its own id. */
    public String statusId() {
        com.fasterxml.jackson.databind.JsonNode of = metadata == null ? null : metadata.get(PART_OF);
        return of != null && of.isTextual() && !of.asText().isEmpty() ? of.asText() : messageId;
    }

    /** {@code "k/n"} for part k of n of a long API message, {@code ""} for a whole message. */
    public String part() {
        if (metadata == null || !metadata.hasNonNull(PART_OF)) {
            return "";
        }
        return metadata.path("part").asInt(0) + "/" + metadata.path("parts").asInt(0);
    }
}
