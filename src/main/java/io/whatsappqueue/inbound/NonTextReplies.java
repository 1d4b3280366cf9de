package io.whatsappqueue.inbound;

import java.time.Duration;

import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.redis.Keys;
import org.apache.camel.Exchange;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to media without text (a voice note, sticker, or image, video or document without caption) when
 * WA_NON_TEXT_REPLY is set: that text, at most once an hour per chat ({@link Keys#nonTextReplied}, TTL 1 h), so a
 * patient sending several voice notes is told once, not once per note. Unset, such media never reaches the reply
 * step (the webhook ignores it, as before).
 */
public final class NonTextReplies {
    /** How the answer was made, in property WaReplySource and the metrics' {@code source} label. */
    public static final String SOURCE = "non_text";
    private static final Duration ONCE_PER = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");

    private final RedissonClient redis;
    private final String reply;

    /** @param reply WA_NON_TEXT_REPLY, or null when unset */
    public NonTextReplies(RedissonClient redis, String reply) {
        this.redis = redis;
        this.reply = reply;
    }

    /**
     * Route step: whether this media gets the answer now; when it does, the answer becomes the body. The chat's
     * hour is taken by this message's key.id, so a redelivery of the same message still answers (its reply id is
     * the same and is queued once) while a later one within the hour does not.
     * Reads: property WaInbound. Sets: body and property WaReplySource (non_text) when answering.
     */
    public void answer(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        if (reply == null) {
            return;
        }
        RBucket<String> hour = redis.getBucket(Keys.nonTextReplied(e.instance(), e.contactId()), StringCodec.INSTANCE);
        boolean ours = hour.setIfAbsent(e.keyId(), ONCE_PER) || e.keyId().equals(hour.get());
        if (!ours) {
            LOG.info("outcome=non_text_quiet instance={} key_id={} media={}", e.instance(),
                    InstanceNames.safeForLog(e.keyId()), e.mediaType());
            return;
        }
        exchange.getMessage().setBody(reply);
        exchange.setProperty(ReplyDrafts.SOURCE, SOURCE);
    }
}
