package io.whatsappqueue.inbound;

import io.whatsappqueue.redis.Keys;

/**
 * A reply's message_id derives from what it answers: (instance, inbound key.id, part). Redoing the reply
 * step for a redelivered event gives the same ids, and the send queue's {@code wa:msg:<id>} marker turns the
 * second enqueue into a no-op (DESIGN §6).
 */
public final class ReplyIds {
    private ReplyIds() {
    }

    /** 32 hex characters (128 bits of SHA-256); {@code part} counts from 1. */
    public static String of(String instance, String inboundKeyId, int part) {
        return Keys.sha256("wa-reply\n" + instance + "\n" + inboundKeyId + "\n" + part).substring(0, 32);
    }
}
