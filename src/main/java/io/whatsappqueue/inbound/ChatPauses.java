package io.whatsappqueue.inbound;

import java.time.Duration;

import io.whatsappqueue.redis.Keys;
import org.apache.camel.Exchange;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Chats where the bot stays silent, kept in Redis so a pause survives restarts and holds across processes:
 * {@code wa:<inst>:chat:<sha256(contactId)>:paused} (with a TTL: human takeover or an admin pause) and
 * {@code wa:<inst>:chat:<sha256(contactId)>:opted_out} (no TTL). The contact id is the stable one the webhook
 * derives (phone JID {@code 447700900123@s.whatsapp.net} when known, else the {@code …@lid}); use
 * {@link #contactId(String)} to turn an operator's input into it.
 */
public final class ChatPauses {
    private final RedissonClient redis;

    public ChatPauses(RedissonClient redis) {
        this.redis = redis;
    }

    /** Whether the bot must not answer this contact now: paused (until the TTL ends) or opted out. */
    public boolean isPaused(String instance, String contactId) {
        return redis.getKeys().countExists(Keys.chatPaused(instance, contactId),
                Keys.chatOptedOut(instance, contactId)) > 0;
    }

    /** Reply route step: the inbound event's chat is paused or opted out. */
    public boolean isPaused(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        return isPaused(e.instance(), e.contactId());
    }

    /** Silences the bot in this chat for {@code duration} from now (a longer pause already set is shortened). */
    public void pause(String instance, String contactId, Duration duration) {
        pause(instance, contactId, duration, "paused");
    }

    /** @param reason stored as the key's value, e.g. {@code human_takeover} or {@code admin} */
    public void pause(String instance, String contactId, Duration duration, String reason) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        redis.getBucket(Keys.chatPaused(instance, contactId), StringCodec.INSTANCE).set(reason, duration);
    }

    public void resume(String instance, String contactId) {
        redis.getBucket(Keys.chatPaused(instance, contactId), StringCodec.INSTANCE).delete();
    }

    /**
     * The stable contact id of what an operator typed: digits (with +, spaces, dashes) become a phone JID;
     * a JID is kept as is, without a {@code :device} suffix.
     */
    public static String contactId(String input) {
        String s = input == null ? "" : input.strip();
        int at = s.indexOf('@');
        if (at >= 0) {
            String user = s.substring(0, at);
            int colon = user.indexOf(':');
            return (colon < 0 ? user : user.substring(0, colon)) + s.substring(at);
        }
        return s.replaceAll("[^0-9]", "") + "@s.whatsapp.net";
    }
}
