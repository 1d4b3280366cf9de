package io.whatsappqueue.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.whatsappqueue.evolution.ContactIds;

/**
 * The one place that names Redis keys (DESIGN §6). Instance names reaching here were validated against
 * the allow-list; any other untrusted value (message ids, chat ids) is used raw only when it is plainly
 * safe, and hashed otherwise, so no payload text ever shapes a key.
 */
public final class Keys {

    /** Consumer group of the send stream, as the previous system named it. */
    public static final String SEND_GROUP = "wa_workers";
    /** Consumer group of the inbound stream. */
    public static final String AI_GROUP = "wa_ai";

    /** The set of instances this deployment serves (DESIGN §6); one for the whole deployment. */
    public static final String INSTANCES = "wa:instances";
    /** Channel announcing an instance added to {@link #INSTANCES}, as the previous system named it. */
    public static final String INSTANCES_ADDED = "wa:instances:added";
    /** Channel announcing an instance removed from {@link #INSTANCES}, as the previous system named it. */
    public static final String INSTANCES_REMOVED = "wa:instances:removed";

    private static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,128}$");

    private Keys() {
    }

    public static String sendStream(String instance) {
        return "wa:" + instance + ":stream";
    }

    public static String deadLetters(String instance) {
        return "wa:" + instance + ":dlq";
    }

    public static String inboundStream(String instance) {
        return "wa:" + instance + ":inbound";
    }

    /** Inbound events the reply step could not handle after WA_MAX_DELIVERIES, with the reason (DESIGN §6). */
    public static String inboundDeadLetters(String instance) {
        return "wa:" + instance + ":inbound:dlq";
    }

    /** A stream of kind {@code stream} or {@code inbound} of one instance. */
    public static String stream(String instance, String kind) {
        return "wa:" + instance + ":" + kind;
    }

    /** Enqueue idempotency, the previous system's key. */
    public static String enqueued(String messageId) {
        return "wa:msg:" + safe(messageId);
    }

    /**
     * The add-once marker of an entry added to stream {@code kind} of {@code instance}: the previous system's
     * {@code wa:msg:<message_id>} for the send stream, {@link #inboundDedupe} for inbound events.
     */
    public static String addOnce(String instance, String kind, String id) {
        return "inbound".equals(kind) ? inboundDedupe(instance, id) : enqueued(id);
    }

    /** Send-side idempotency: set after Evolution accepted the message. */
    public static String sent(String instance, String messageId) {
        return "wa:" + instance + ":sent:" + safe(messageId);
    }

    /** A chat's order set (lua/stream/order-lib.lua builds the same name from the stream key and chat key). */
    public static String chatOrder(String streamKey, String chatKey) {
        return streamKey + ":order:" + chatKey;
    }

    /** Retries an entry has used beyond its Redis delivery count (stream key scoped). */
    public static String retries(String streamKey) {
        return streamKey + ":retries";
    }

    /** Heartbeats of the consumers of a stream (sorted set: consumer name, last beat in epoch ms). */
    public static String consumerHeartbeats(String streamKey) {
        return streamKey + ":consumers";
    }

    /** Token bucket state. Not the previous system's {@code :bucket} key, whose type differs. */
    public static String rateLimit(String instance) {
        return "wa:" + instance + ":ratelimit";
    }

    /** Connection state reported by Evolution's connection.update webhook. */
    public static String connection(String instance) {
        return "wa:" + instance + ":connection";
    }

    /** Why sending is paused for an instance (JSON, short TTL refreshed by the paused worker). */
    public static String sendPaused(String instance) {
        return "wa:" + instance + ":send-paused";
    }

    /** A chat's AI pause (string with a TTL); the chat part is {@code sha256} of the normalised contact. */
    public static String chatPause(String instance, String contactHash) {
        return "wa:" + instance + ":pause:" + contactHash;
    }

    /** Index of paused chats (sorted set: member = contact hash, score = pause end in epoch ms). */
    public static String chatPauses(String instance) {
        return "wa:" + instance + ":pauses";
    }

    /** A contact who wrote an opt-out keyword (no TTL: it lasts until the opt-in keyword). */
    public static String optOut(String instance, String contactHash) {
        return "wa:" + instance + ":optout:" + contactHash;
    }

    /** Index of opted-out contacts (sorted set: member = contact hash, score = opt-out time in epoch ms). */
    public static String optOuts(String instance) {
        return "wa:" + instance + ":optouts";
    }

    /** The sandbox outbox (a capped list). */
    public static String sandboxOutbox() {
        return "wa:sandbox:outbox";
    }

    /** Webhook de-duplication on (instance, key.id), 24 h; set only together with the inbound XADD. */
    public static String inboundDedupe(String instance, String keyId) {
        return "wa:" + instance + ":dedupe:" + safe(keyId);
    }

    /** Reverse send marker: the key.id Evolution gave one of our sends, so its echo is not taken for staff. */
    public static String ours(String instance, String providerKeyId) {
        return "wa:" + instance + ":ours:" + safe(providerKeyId);
    }

    /**
     * Sends of ours to one chat whose echo may still come (sorted set: member = text hash + ':' + message_id,
     * score = expiry in epoch ms): Evolution can report a send before its 201 tells us the key.id.
     */
    public static String expectedEchoes(String instance, String contactId) {
        return "wa:" + instance + ":echoes:" + chat(contactId);
    }

    /**
     * A contact's id in key names, the same for every feature (pauses, opt-outs, memory): the SHA-256 of its
     * normal form ({@link ContactIds}), so {@code +44 7700 900123} and {@code 447700900123@s.whatsapp.net}
     * are one chat. A value that is no recognisable contact is hashed as it is.
     */
    public static String chat(String contact) {
        String normal = ContactIds.normalise(contact);
        return sha256(normal != null ? normal : contact == null ? "" : contact);
    }

    /** The chat's recent turns (list of JSON), for the AI's memory. */
    public static String chatHistory(String instance, String contactId) {
        return "wa:" + instance + ":chat:" + chat(contactId) + ":history";
    }

    /** The reply generated for one inbound message, kept so a redelivery re-sends the same text. */
    public static String replyDraft(String instance, String inboundKeyId) {
        return "wa:" + instance + ":reply:" + safe(inboundKeyId);
    }

    public static String safe(String untrusted) {
        if (untrusted != null && SAFE_ID.matcher(untrusted).matches()) {
            return untrusted;
        }
        return "h:" + sha256(untrusted == null ? "" : untrusted);
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
