package io.whatsappqueue.api;

/**
 * A validated {@code POST /api/messages} body (DESIGN §9).
 *
 * @param to             Evolution's {@code number}: digits without '+', or a WhatsApp JID as given
 * @param sendAtMs       due time in epoch ms; 0 when the message is to go now
 * @param idempotencyKey null when none was given
 * @param metadataJson   the client's metadata object as compact JSON ({@code {}} when none)
 * @param requestHash    SHA-256 of the normalised request: the same key with another body is a conflict
 */
public record MessageRequest(String instance, String to, String text, long sendAtMs, String idempotencyKey,
                             String metadataJson, String requestHash) {
}
