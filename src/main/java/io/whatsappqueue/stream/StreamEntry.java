package io.whatsappqueue.stream;

import java.util.Map;

/**
 * One stream entry this process holds. {@code chat} is the SHA-1 of the entry's chat (empty: unordered),
 * {@code member} its place in the chat's order set, {@code delivery} the attempt number this try is.
 */
public record StreamEntry(String instance, String stream, String id, Map<String, String> fields,
                          String chat, String member, int delivery, boolean reclaimed) {

    public boolean ordered() {
        return !chat.isEmpty();
    }

    public StreamEntry nextAttempt(int nextDelivery) {
        return new StreamEntry(instance, stream, id, fields, chat, member, nextDelivery, reclaimed);
    }
}
