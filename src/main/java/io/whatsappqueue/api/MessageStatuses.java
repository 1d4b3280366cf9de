package io.whatsappqueue.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The status records of messages (hash {@code wa:<inst>:status:<id>}, DESIGN §9): written when a message is
 * accepted, claimed for sending, sent, dead-lettered, skipped or cancelled, and when Evolution reports it delivered
 * or read. Every change is one Lua step (lua/status/) that also appends it to the callback outbox
 * ({@code wa:<inst>:callbacks}) when callbacks are configured, so no change can be recorded without its callback.
 * Each script touches keys of one instance only (Redis Cluster: one hash slot).
 */
public final class MessageStatuses {
    private static final String LIB = LuaScripts.withOrderLib("status/lib.lua") + "\n";
    private static final String ACCEPT = LIB + LuaScripts.plain("status/accept.lua");
    private static final String CHANGE = LIB + LuaScripts.plain("status/change.lua");
    private static final String CANCEL = LIB + LuaScripts.plain("status/cancel.lua");
    private static final String UPDATE = LIB + LuaScripts.plain("status/update.lua");
    /** An early delivery update waits this long for the send it belongs to (the send's answer is seconds away). */
    private static final long EARLY_TTL_MS = 3_600_000L;
    /** An idempotency_key answers with its first message for 24 h (DESIGN §9). */
    private static final long IDEMPOTENCY_TTL_S = 86_400L;

    private final RedissonClient redis;
    private final LuaScripts lua;
    private final long ttlMs;
    private final boolean callbacks;

    /** What an accept did: a new message, or the idempotency_key's earlier one. */
    public record Accepted(boolean fresh, String messageId, String requestHash) {
    }

    public MessageStatuses(RedissonClient redis, long ttlMs, boolean callbacks) {
        this.redis = redis;
        this.lua = new LuaScripts(redis);
        this.ttlMs = ttlMs;
        this.callbacks = callbacks;
    }

    public static String now() {
        return Instant.now().toString();
    }

    /**
     * Writes the record of a new API message and its entry in {@code wa:<inst>:scheduled} (due {@code dueMs}) and
     * remembers {@code idempotencyKey} (may be null) for 24 h, in one step; or answers the key's earlier message.
     */
    public Accepted accept(String instance, String messageId, String status, long dueMs, String idempotencyKey,
                           String requestHash, Map<String, String> fields) {
        List<Object> keys = keys(Keys.status(instance, messageId), Keys.scheduled(instance), Keys.statusCallbacks(instance));
        if (idempotencyKey != null) {
            keys.add(Keys.apiIdempotency(instance, idempotencyKey));
        }
        List<Object> args = new ArrayList<>(List.of(messageId, status, String.valueOf(dueMs), now(),
                String.valueOf(ttlMs), String.valueOf(IDEMPOTENCY_TTL_S), requestHash == null ? "" : requestHash,
                callbacks ? "1" : "0"));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        List<Object> r = lua.eval(ACCEPT, RScript.ReturnType.MULTI, keys, args.toArray());
        if ("accepted".equals(String.valueOf(r.get(0)))) {
            return new Accepted(true, messageId, requestHash);
        }
        String prev = String.valueOf(r.get(1));
        int nl = prev.indexOf('\n');
        return new Accepted(false, nl < 0 ? prev : prev.substring(0, nl), nl < 0 ? "" : prev.substring(nl + 1));
    }

    /** Every field of the record, or an empty map when there is none (unknown, or older than WA_STATUS_TTL_DAYS). */
    public Map<String, String> read(String instance, String messageId) {
        return redis.<String, String>getMap(Keys.status(instance, messageId), StringCodec.INSTANCE).readAllMap();
    }

    /**
     * A status change (queued, skipped, failed); {@code to} non-null creates the record of a message first seen
     * here. Returns true when the status changed (it only moves forward; final statuses stay).
     */
    public boolean change(String instance, String messageId, String status, String reason, String to) {
        List<Object> keys = keys(Keys.status(instance, messageId));
        addOutbox(keys, instance);
        Object r = lua.eval(CHANGE, RScript.ReturnType.INTEGER, keys, status, now(), reason == null ? "" : reason,
                String.valueOf(ttlMs), messageId, instance, to == null ? "" : to);
        return r instanceof Number n && n.longValue() == 1;
    }

    /**
     * Dead-lettered: failed with {@code reason}. For a part ({@code "k/n"}) the record remembers which one failed,
     * so an operator's replay of that part queues the message again and the other parts leave it failed.
     */
    public boolean failed(String instance, String messageId, String reason, String to, String part) {
        List<Object> keys = keys(Keys.status(instance, messageId));
        addOutbox(keys, instance);
        Object r = lua.eval(CHANGE, RScript.ReturnType.INTEGER, keys, "failed", now(), reason == null ? "" : reason,
                String.valueOf(ttlMs), messageId, instance, to == null ? "" : to, part);
        return r instanceof Number n && n.longValue() == 1;
    }

    /** {@code cancelled}, {@code already_sent}, {@code unknown}, or the final status it has (failed, skipped). */
    public String cancel(String instance, String messageId) {
        List<Object> keys = keys(Keys.status(instance, messageId), Keys.scheduled(instance));
        addOutbox(keys, instance);
        return String.valueOf(lua.<Object>eval(CANCEL, RScript.ReturnType.VALUE, keys, messageId, now(),
                String.valueOf(ttlMs)));
    }

    /**
     * Evolution reported our send {@code evolutionId} delivered or read at {@code at}: {@code applied},
     * {@code unchanged} (not forward), or {@code early} (kept until the send records the id).
     */
    public String update(String instance, String evolutionId, String status, String at) {
        List<Object> keys = keys(Keys.statusByEvolutionId(instance, evolutionId), Keys.earlyStatus(instance, evolutionId));
        addOutbox(keys, instance);
        return String.valueOf(lua.<Object>eval(UPDATE, RScript.ReturnType.VALUE, keys, status, at,
                String.valueOf(ttlMs), String.valueOf(EARLY_TTL_MS)));
    }

    private void addOutbox(List<Object> keys, String instance) {
        if (callbacks) {
            keys.add(Keys.statusCallbacks(instance));
        }
    }

    private static List<Object> keys(String... names) {
        return new ArrayList<>(List.of((Object[]) names));
    }
}
