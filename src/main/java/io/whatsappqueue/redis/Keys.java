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
 *
 * <p>Two namings, chosen once at start ({@link #useHashTags}): the previous system's {@code wa:<inst>:…}
 * (the default, for drop-in use beside it), or {@code wa:{<inst>}:…} with the instance as the hash tag
 * (WA_KEY_HASHTAGS, always in Cluster mode), so every key of one instance, and so every key one script
 * touches, falls in one hash slot (Redis Cluster spec, "Hash tags"). Keys derived from a stream key inside
 * Lua ({@code <stream>:order:…}) inherit its tag.
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

    private static volatile boolean hashTags;

    private Keys() {
    }

    /** Chooses the naming for this process (called once at start, from WA_KEY_HASHTAGS / Cluster mode). */
    public static void useHashTags(boolean on) {
        hashTags = on;
    }

    /** True when per-instance keys carry the hash tag {@code {<inst>}}. */
    public static boolean hashTags() {
        return hashTags;
    }

    /** The hash tag of a key ({@code inst} of {@code wa:{inst}:stream}), or null when it has none. */
    public static String hashTagOf(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : null;
    }

    /** {@code wa:<inst>:} or {@code wa:{<inst>}:}: the prefix of every per-instance key. */
    private static String of(String instance) {
        return prefix(instance, hashTags);
    }

    private static String prefix(String instance, boolean tagged) {
        return tagged ? "wa:{" + instance + "}:" : "wa:" + instance + ":";
    }

    /** A stream of kind {@code stream} or {@code inbound} under the given naming, whichever this process uses. */
    public static String stream(String instance, String kind, boolean tagged) {
        return prefix(instance, tagged) + kind;
    }

    /** A key that carries no data: written right before a WAIT, so the WAIT covers every earlier write ({@link ReplicaBarrier}). */
    public static String replicationBarrier(String instance) {
        return of(instance) + "barrier";
    }

    public static String sendStream(String instance) {
        return of(instance) + "stream";
    }

    public static String deadLetters(String instance) {
        return of(instance) + "dlq";
    }

    public static String inboundStream(String instance) {
        return of(instance) + "inbound";
    }

    /** Inbound events the reply step could not handle after WA_MAX_DELIVERIES, with the reason (DESIGN §6). */
    public static String inboundDeadLetters(String instance) {
        return of(instance) + "inbound:dlq";
    }

    /** A stream of kind {@code stream} or {@code inbound} of one instance. */
    public static String stream(String instance, String kind) {
        return of(instance) + "" + kind;
    }

    /**
     * Enqueue idempotency: the previous system's {@code wa:msg:<message_id>}; with hash tags
     * {@code wa:{<inst>}:msg:<message_id>}, so it shares the send stream's slot (DESIGN §6).
     */
    public static String enqueued(String instance, String messageId) {
        return (hashTags ? of(instance) + "msg:" : "wa:msg:") + safe(messageId);
    }

    /**
     * The add-once marker of an entry added to stream {@code kind} of {@code instance}: the previous system's
     * {@code wa:msg:<message_id>} for the send stream, {@link #inboundDedupe} for inbound events.
     */
    public static String addOnce(String instance, String kind, String id) {
        return "inbound".equals(kind) ? inboundDedupe(instance, id) : enqueued(instance, id);
    }

    /** Send-side idempotency: set after Evolution accepted the message. */
    public static String sent(String instance, String messageId) {
        return of(instance) + "sent:" + safe(messageId);
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
        return of(instance) + "ratelimit";
    }

    /** Connection state reported by Evolution's connection.update webhook. */
    public static String connection(String instance) {
        return of(instance) + "connection";
    }

    /** Why sending is paused for an instance (JSON, short TTL refreshed by the paused worker). */
    public static String sendPaused(String instance) {
        return of(instance) + "send-paused";
    }

    /** A chat's AI pause (string with a TTL); the chat part is {@code sha256} of the normalised contact. */
    public static String chatPause(String instance, String contactHash) {
        return of(instance) + "pause:" + contactHash;
    }

    /** Index of paused chats (sorted set: member = contact hash, score = pause end in epoch ms). */
    public static String chatPauses(String instance) {
        return of(instance) + "pauses";
    }

    /** A contact who wrote an opt-out keyword (no TTL: it lasts until the opt-in keyword). */
    public static String optOut(String instance, String contactHash) {
        return of(instance) + "optout:" + contactHash;
    }

    /** Index of opted-out contacts (sorted set: member = contact hash, score = opt-out time in epoch ms). */
    public static String optOuts(String instance) {
        return of(instance) + "optouts";
    }

    /** The sandbox outbox (a capped list). */
    public static String sandboxOutbox() {
        return "wa:sandbox:outbox";
    }

    /** Webhook de-duplication on (instance, key.id), 24 h; set only together with the inbound XADD. */
    public static String inboundDedupe(String instance, String keyId) {
        return of(instance) + "dedupe:" + safe(keyId);
    }

    /** Reverse send marker: the key.id Evolution gave one of our sends, so its echo is not taken for staff. */
    public static String ours(String instance, String providerKeyId) {
        return of(instance) + "ours:" + safe(providerKeyId);
    }

    /**
     * Sends of ours to one chat whose echo may still come (sorted set: member = text hash + ':' + message_id,
     * score = expiry in epoch ms): Evolution can report a send before its 201 tells us the key.id.
     */
    public static String expectedEchoes(String instance, String contactId) {
        return of(instance) + "echoes:" + chat(contactId);
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
        return of(instance) + "chat:" + chat(contactId) + ":history";
    }

    /**
     * The chat was sent WA_NON_TEXT_REPLY within the hour: string (the inbound key.id that got it), TTL 1 h, so a
     * second voice note in that hour gets silence.
     */
    public static String nonTextReplied(String instance, String contactId) {
        return of(instance) + "nontext:" + chat(contactId);
    }

    /** The reply generated for one inbound message, kept so a redelivery re-sends the same text. */
    public static String replyDraft(String instance, String inboundKeyId) {
        return of(instance) + "reply:" + safe(inboundKeyId);
    }

    /**
     * One message's status record (hash: status, times, attempts, evolution_id, …; DESIGN §9), for API messages
     * and AI replies alike, kept WA_STATUS_TTL_DAYS.
     */
    public static String status(String instance, String messageId) {
        return of(instance) + "status:" + safe(messageId);
    }

    /** API messages waiting for their send_at (sorted set: member = message_id, score = due time in epoch ms; DESIGN §6). */
    public static String scheduled(String instance) {
        return of(instance) + "scheduled";
    }

    /** A clinic system's idempotency_key (hashed): the first message_id and the hash of its request, 24 h. */
    public static String apiIdempotency(String instance, String idempotencyKey) {
        return of(instance) + "idem:" + sha256(idempotencyKey);
    }

    /** The status record a message Evolution knows by {@code evolutionId} (its key.id) belongs to: the record's key. */
    public static String statusByEvolutionId(String instance, String evolutionId) {
        return of(instance) + "evo:" + safe(evolutionId);
    }

    /** Delivery updates (messages.update) that came before our send recorded the Evolution id (hash: status → time). */
    public static String earlyStatus(String instance, String evolutionId) {
        return of(instance) + "evo-early:" + safe(evolutionId);
    }

    /**
     * Chats whose burst of messages waits for a quiet moment (sorted set: member = chat key {@link #chat}, score =
     * when the burst is due in epoch ms; WA_DEBOUNCE_MS, DESIGN §10).
     */
    public static String debounceDue(String instance) {
        return of(instance) + "debounce";
    }

    /**
     * The prefix of a chat's burst ({@link #burst}), which lua/debounce/fire.lua completes with the chat keys it finds
     * in {@link #debounceDue}.
     */
    public static String burstPrefix(String instance) {
        return of(instance) + "burst:";
    }

    /** One chat's burst (hash: {@code n}, {@code first} (epoch ms), {@code 1}..{@code n} the inbound payloads in order). */
    public static String burst(String instance, String chatKey) {
        return burstPrefix(instance) + chatKey;
    }

    /** An inbound message already taken into a burst, 24 h: a redelivered event is not taken twice. */
    public static String burstMember(String instance, String inboundKeyId) {
        return of(instance) + "burst-member:" + safe(inboundKeyId);
    }

    /** The stream kind of the status-callback outbox: {@code wa:<inst>:callbacks}, consumed by the callback route. */
    public static final String CALLBACKS_KIND = "callbacks";

    /** Consumer group of the status-callback outbox. */
    public static final String CALLBACKS_GROUP = "wa_callbacks";

    /** The status-callback outbox of an instance (a stream: one entry per status change). */
    public static String statusCallbacks(String instance) {
        return stream(instance, CALLBACKS_KIND);
    }

    /**
     * A web-console session (string, JSON {csrf, created}, TTL WA_CONSOLE_SESSION_MINUTES): keyed by the SHA-256
     * of the cookie's session id, so a Redis dump holds no usable session. One for the deployment, not per instance.
     */
    public static String consoleSession(String sessionId) {
        return "wa:console:session:" + sha256(sessionId == null ? "" : sessionId);
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
