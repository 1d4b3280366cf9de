package io.whatsappqueue.stream;

import java.util.Map;

/**
 * One stream entry a consumer holds. {@code chat} is the entry's chat key (redis.Keys#chat of its contact;
 * empty: no chat, so no order to keep), {@code member} its place in the chat's order set
 * ({@link StreamStore#member}), {@code delivery} the attempt number this try is (1-based).
 */
public record StreamEntry(String instance, String stream, String id, Map<String, String> fields,
                          String chat, String member, int delivery, boolean reclaimed) {

    /** Field that carries the chat key in entries the producer writes. */
    public static final String CHAT_FIELD = "chat";

    public boolean ordered() {
        return !chat.isEmpty();
    }

    /** The same entry for its next try. */
    public StreamEntry nextAttempt(int nextDelivery) {
        return new StreamEntry(instance, stream, id, fields, chat, member, nextDelivery, reclaimed);
    }
}
