package io.whatsappqueue.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import io.whatsappqueue.redis.ReplicaBarrier;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RStreamAsync;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamGroup;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamMultiReadGroupArgs;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;

/**
 * The Redis commands of the {@code redis-stream} component, one method per step: add once, read (many
 * streams in one blocking XREADGROUP), register and check chat heads, finish, count a retry, keep held
 * entries fresh, reclaim from stopped consumers, tidy stopped consumers away. The Lua behind them is in
 * {@code lua/stream/}; each script is tested against a real Redis (StreamScriptsTest).
 */
public final class StreamStore {
    /** Order sets outlive any legitimate wait; a forgotten one expires. */
    public static final long ORDER_TTL_MS = Duration.ofDays(2).toMillis();
    private static final String ADD = LuaScripts.withOrderLib("stream/add.lua");
    private static final String ENSURE_GROUPS = LuaScripts.plain("stream/ensure-groups.lua");
    private static final String RECLAIM = LuaScripts.plain("stream/reclaim.lua");
    private static final String SWEEP = LuaScripts.plain("stream/sweep.lua");
    private static final String LEAVE = LuaScripts.plain("stream/leave.lua");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedissonClient redis;
    private final LuaScripts lua;
    /** heads.lua and finish.lua with each consumer's EntryScripts between the order library and the script. */
    private final Map<EntryScripts, String[]> composed = new java.util.concurrent.ConcurrentHashMap<>();
    private final ReplicaBarrier replicas;
    /** Cluster mode: a command or script may only touch keys of one hash slot (CROSSSLOT otherwise). */
    private final boolean cluster;

    public StreamStore(RedissonClient redis) {
        this(redis, ReplicaBarrier.off(redis));
    }

    /** @param replicas the WAIT a finish waits for before it counts (WA_REDIS_WAIT_REPLICAS) */
    public StreamStore(RedissonClient redis, ReplicaBarrier replicas) {
        this.redis = redis;
        this.lua = new LuaScripts(redis);
        this.replicas = replicas;
        this.cluster = redis.getConfig().isClusterConfig();
    }

    /**
     * The stream keys split into groups whose keys share a hash slot: one group outside Cluster mode; in Cluster
     * mode one per hash tag (every key of an instance carries {@code {<inst>}}, DESIGN §6), so each multi-stream
     * command or script stays within one slot. Order within a group is kept.
     */
    List<List<String>> slotGroups(Collection<String> streamKeys) {
        if (!cluster) {
            return List.of(new ArrayList<>(streamKeys));
        }
        Map<String, List<String>> byTag = new LinkedHashMap<>();
        for (String key : streamKeys) {
            String tag = Keys.hashTagOf(key);
            byTag.computeIfAbsent(tag == null ? key : tag, t -> new ArrayList<>()).add(key);
        }
        return new ArrayList<>(byTag.values());
    }

    /** True when one blocking read can cover {@code streamKeys}; in Cluster mode with several slots it cannot. */
    public boolean readBlocks(Collection<String> streamKeys) {
        return slotGroups(streamKeys).size() <= 1;
    }

    /** Runs {@code script} once per slot group (side by side in Cluster mode) and returns the answers in group order. */
    private <T> List<T> perSlot(Collection<String> streamKeys, String script, RScript.ReturnType type, Object... args) {
        List<List<String>> groups = slotGroups(streamKeys);
        if (groups.size() == 1) {
            T one = lua.eval(script, type, new ArrayList<>(groups.get(0)), args);
            List<T> out = new ArrayList<>(1);
            out.add(one);
            return out;
        }
        List<java.util.concurrent.CompletableFuture<T>> pending = new ArrayList<>(groups.size());
        for (List<String> g : groups) {
            pending.add(lua.<T>evalAsync(script, type, new ArrayList<>(g), args).toCompletableFuture());
        }
        List<T> out = new ArrayList<>(groups.size());
        for (java.util.concurrent.CompletableFuture<T> f : pending) {
            out.add(f.join());
        }
        return out;
    }

    public RStream<String, String> stream(String key) {
        return redis.getStream(key, StringCodec.INSTANCE);
    }

    /** What an add did. */
    public enum AddOutcome { ADDED, DUPLICATE }

    /** The outcome and, when added, the new entry's id. */
    public record AddResult(AddOutcome outcome, String id) {
    }

    /**
     * Appends {@code payload} (field {@code payload}, plus field {@code chat} when {@code chatKey} is not empty)
     * unless {@code onceKey} exists, and registers it in its chat's order: one atomic step (lua/stream/add.lua).
     *
     * @param onceKey  add-once marker key, kept {@code onceTtlS} seconds; null: no add-once check
     * @param chatKey  the chat key ({@link Keys#chat}); empty: the entry has no chat order
     * @param maxLen   most undelivered entries the stream may hold; a full stream refuses, it is never trimmed
     * @throws StreamFullException when the stream holds {@code maxLen} entries
     */
    public AddResult add(String streamKey, String onceKey, String payload, String chatKey, long maxLen, long onceTtlS) {
        List<Object> keys = onceKey == null ? List.of(streamKey) : List.of(streamKey, onceKey);
        List<Object> r = lua.eval(ADD, RScript.ReturnType.MULTI, keys, payload, String.valueOf(maxLen),
                String.valueOf(onceTtlS), chatKey == null ? "" : chatKey, String.valueOf(ORDER_TTL_MS));
        String status = String.valueOf(r.get(0));
        return switch (status) {
            case "added" -> new AddResult(AddOutcome.ADDED, String.valueOf(r.get(1)));
            case "duplicate" -> new AddResult(AddOutcome.DUPLICATE, null);
            case "full" -> throw new StreamFullException(streamKey, maxLen);
            default -> throw new IllegalStateException("lua/stream/add.lua answered " + status);
        };
    }

    /**
     * Creates the group where it is missing (from the start of the stream) and the consumer on each stream.
     * Returns how many groups had to be created.
     */
    public long ensureGroups(Collection<String> streamKeys, String group, String consumer) {
        if (streamKeys.isEmpty()) {
            return 0;
        }
        long created = 0;
        for (Object n : perSlot(streamKeys, ENSURE_GROUPS, RScript.ReturnType.INTEGER, group, consumer)) {
            created += n == null ? 0 : toLong(n);
        }
        return created;
    }

    /** Entries one read gave, by stream key, oldest first; each map is an entry's fields. */
    public record Batch(Map<String, Map<String, Map<String, String>>> byStream) {
        public boolean isEmpty() {
            return byStream.values().stream().allMatch(Map::isEmpty);
        }
    }

    /**
     * One XREADGROUP over every stream in {@code streamKeys} for entries never delivered ({@code >}), at most
     * {@code count} per stream, blocking up to {@code blockMs} when none is there. One connection, however
     * many streams. In Cluster mode with streams in several slots ({@link #readBlocks} false): one XREADGROUP per
     * slot, without blocking, pipelined per node; the caller waits a little when the batch is empty.
     */
    public Batch read(String group, String consumer, List<String> streamKeys, int count, long blockMs) {
        if (streamKeys.isEmpty()) {
            return new Batch(Map.of());
        }
        List<List<String>> groups = slotGroups(streamKeys);
        if (groups.size() > 1) {
            return readEachSlot(group, consumer, groups, count);
        }
        RStream<String, String> first = stream(streamKeys.get(0));
        Map<StreamMessageId, Map<String, String>> single;
        Map<String, Map<StreamMessageId, Map<String, String>>> multi;
        if (streamKeys.size() == 1) {
            single = first.readGroup(group, consumer, StreamReadGroupArgs.neverDelivered().count(count)
                    .timeout(Duration.ofMillis(blockMs)));
            multi = single == null || single.isEmpty() ? Map.of() : Map.of(streamKeys.get(0), single);
        } else {
            Map<String, StreamMessageId> others = new LinkedHashMap<>();
            for (int i = 1; i < streamKeys.size(); i++) {
                others.put(streamKeys.get(i), StreamMessageId.NEVER_DELIVERED);
            }
            multi = first.readGroup(group, consumer, StreamMultiReadGroupArgs
                    .greaterThan(StreamMessageId.NEVER_DELIVERED, others).count(count)
                    .timeout(Duration.ofMillis(blockMs)));
        }
        Map<String, Map<String, Map<String, String>>> out = new LinkedHashMap<>();
        collect(multi, out);
        return new Batch(out);
    }

    private Batch readEachSlot(String group, String consumer, List<List<String>> groups, int count) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        List<org.redisson.api.RFuture<Map<String, Map<StreamMessageId, Map<String, String>>>>> reads = new ArrayList<>();
        for (List<String> g : groups) {
            Map<String, StreamMessageId> others = new LinkedHashMap<>();
            for (int i = 1; i < g.size(); i++) {
                others.put(g.get(i), StreamMessageId.NEVER_DELIVERED);
            }
            RStreamAsync<String, String> s = batch.getStream(g.get(0), StringCodec.INSTANCE);
            reads.add(s.readGroupAsync(group, consumer,
                    StreamMultiReadGroupArgs.greaterThan(StreamMessageId.NEVER_DELIVERED, others).count(count)));
        }
        batch.execute();
        Map<String, Map<String, Map<String, String>>> out = new LinkedHashMap<>();
        for (var f : reads) {
            collect(f.toCompletableFuture().join(), out);
        }
        return new Batch(out);
    }

    private static void collect(Map<String, Map<StreamMessageId, Map<String, String>>> read,
                                Map<String, Map<String, Map<String, String>>> out) {
        if (read == null) {
            return;
        }
        read.forEach((key, entries) -> {
            Map<String, Map<String, String>> m = new LinkedHashMap<>();
            entries.forEach((id, fields) -> m.put(id.toString(), fields == null ? Map.of() : fields));
            out.put(key, m);
        });
    }

    /**
     * Registers the entries (idempotent) and answers, per entry, whether it may go now: it heads its chat's
     * order set, and no earlier entry the group holds is still unregistered (lua/stream/heads.lua). Entries
     * without a chat are registered and may go; entries no longer in the stream are GONE. One round trip.
     */
    public List<Head> heads(String group, List<StreamEntry> entries) {
        return heads(group, entries, EntryScripts.NONE, false).stream().map(HeadAnswer::head).toList();
    }

    /**
     * {@link #heads(String, List)}, and with {@code admit}, for each entry that may go and has an admission
     * ({@link EntryScripts#admission}), what {@code wq_admit} answered, in the same step.
     */
    public List<HeadAnswer> heads(String group, List<StreamEntry> entries, EntryScripts scripts, boolean admit) {
        if (entries.isEmpty()) {
            return new ArrayList<>();
        }
        List<List<String>> groups = slotGroups(entries.stream().map(StreamEntry::stream).distinct().toList());
        if (groups.size() == 1) {
            return headsInOneSlot(group, entries, scripts, admit).join();
        }
        // Cluster mode, several slots: one script per slot, side by side, answers put back in entry order
        Map<String, Integer> slotOf = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (String key : groups.get(g)) {
                slotOf.put(key, g);
            }
        }
        List<List<StreamEntry>> bySlot = new ArrayList<>();
        groups.forEach(g -> bySlot.add(new ArrayList<>()));
        for (StreamEntry e : entries) {
            bySlot.get(slotOf.get(e.stream())).add(e);
        }
        List<java.util.concurrent.CompletableFuture<List<HeadAnswer>>> pending = new ArrayList<>();
        for (List<StreamEntry> part : bySlot) {
            pending.add(headsInOneSlot(group, part, scripts, admit));
        }
        Map<StreamEntry, HeadAnswer> answer = new java.util.IdentityHashMap<>();
        for (int g = 0; g < bySlot.size(); g++) {
            List<HeadAnswer> h = pending.get(g).join();
            for (int i = 0; i < h.size(); i++) {
                answer.put(bySlot.get(g).get(i), h.get(i));
            }
        }
        List<HeadAnswer> out = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            out.add(answer.get(e));
        }
        return out;
    }

    private java.util.concurrent.CompletableFuture<List<HeadAnswer>> headsInOneSlot(String group, List<StreamEntry> entries,
                                                                                  EntryScripts scripts, boolean admit) {
        List<Object> keys = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        List<Object> args = new ArrayList<>();
        args.add(String.valueOf(ORDER_TTL_MS));
        args.add(group);
        for (StreamEntry e : entries) {
            args.add(String.valueOf(keyIndex(e.stream(), keys, index)));
            args.add(e.id());
            args.add(e.chat());
            EntryScripts.Call call = admit ? scripts.admission(e) : null;
            if (call == null) {
                args.add("0");
                args.add("0");
                continue;
            }
            args.add(String.valueOf(call.keys().size()));
            args.add(String.valueOf(call.args().size()));
            for (String k : call.keys()) {
                args.add(String.valueOf(keyIndex(k, keys, index)));
            }
            args.addAll(call.args());
        }
        return lua.<List<Object>>evalAsync(composed(scripts)[0], RScript.ReturnType.MULTI, keys, args.toArray()).thenApply(r -> {
            List<HeadAnswer> out = new ArrayList<>(r.size());
            for (Object o : r) {
                if (o instanceof List<?> l) {
                    out.add(new HeadAnswer(Head.GO, String.valueOf(l.get(1))));
                } else {
                    long v = toLong(o);
                    out.add(new HeadAnswer(v == 1 ? Head.GO : v == 2 ? Head.GONE : Head.WAIT, null));
                }
            }
            return out;
        }).toCompletableFuture();
    }

    /** The 1-based index of {@code key} in {@code keys}, added when new. */
    private static int keyIndex(String key, List<Object> keys, Map<String, Integer> index) {
        return index.computeIfAbsent(key, s -> {
            keys.add(s);
            return keys.size();
        });
    }

    private String[] composed(EntryScripts scripts) {
        return composed.computeIfAbsent(scripts, s -> new String[] {
                LuaScripts.withOrderLib("stream/heads.lua", s.lua()),
                LuaScripts.withOrderLib("stream/finish.lua", s.lua())});
    }

    /** One entry's answer from lua/stream/heads.lua: whether it may go and, when asked, its admission (else null). */
    public record HeadAnswer(Head head, String admission) {
    }

    /** What lua/stream/heads.lua answers for one entry. */
    public enum Head {
        /** It may go now. */
        GO,
        /** An earlier entry of its chat (or an unregistered earlier one) goes first. */
        WAIT,
        /** No longer in the stream: another worker took it over and finished it. */
        GONE
    }

    /**
     * Done with the entry: XACK, XDEL, forget its retries, leave its chat's order and set {@code markers}
     * (kept {@code markerTtlS} seconds), in one atomic step. Returns the chat's next head member, or null.
     */
    public String finish(StreamEntry e, String group, Map<String, String> markers, long markerTtlS) {
        return finish(e, group, markers, markerTtlS, EntryScripts.NONE, null);
    }

    /**
     * {@link #finish(StreamEntry, String, Map, long)}, and {@code call} (may be null) of {@code scripts}'
     * {@code wq_finished} in the same atomic step.
     */
    public String finish(StreamEntry e, String group, Map<String, String> markers, long markerTtlS,
                         EntryScripts scripts, EntryScripts.Call call) {
        List<Object> keys = new ArrayList<>(List.of(e.stream(), Keys.retries(e.stream())));
        List<Object> args = new ArrayList<>(List.of(group, e.id(), e.chat(), String.valueOf(markerTtlS),
                String.valueOf(markers == null ? 0 : markers.size())));
        if (markers != null) {
            markers.forEach((k, v) -> {
                args.add(k);
                args.add(v);
            });
        }
        if (call != null) {
            keys.addAll(call.keys());
            args.addAll(call.args());
        }
        Object head = lua.eval(composed(scripts)[1], RScript.ReturnType.VALUE, keys, args.toArray());
        // WA_REDIS_WAIT_REPLICAS: it counts as finished only once replicas hold it; a timeout throws (a pause), and
        // the consumer runs this idempotent finish again
        replicas.await(e.instance());
        return head == null ? null : String.valueOf(head);
    }

    /** Records one counted failed attempt beyond the delivery count; returns the retries so far. */
    public long countRetry(StreamEntry e) {
        return redis.<String, Long>getMap(Keys.retries(e.stream()), StringCodec.INSTANCE).addAndGet(e.id(), 1L);
    }

    /**
     * Keeps held entries owned and fresh so XAUTOCLAIM never steals an entry that is still being worked on,
     * and beats this consumer's heartbeat on each stream: one pipelined round trip for every stream.
     * {@code minIdleMs} stops us from taking back an entry another worker claimed moments ago after we stalled.
     */
    public void keepFresh(String group, String consumer, Collection<String> streamKeys,
                          Map<String, List<String>> heldIds, long minIdleMs) {
        if (streamKeys.isEmpty()) {
            return;
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        long now = System.currentTimeMillis();
        for (String key : streamKeys) {
            batch.getScoredSortedSet(Keys.consumerHeartbeats(key), StringCodec.INSTANCE).addAsync(now, consumer);
            List<String> ids = heldIds.get(key);
            if (ids != null && !ids.isEmpty()) {
                RStreamAsync<String, String> s = batch.getStream(key, StringCodec.INSTANCE);
                s.fastClaimAsync(group, consumer, minIdleMs, TimeUnit.MILLISECONDS,
                        ids.stream().map(StreamStore::messageId).toArray(StreamMessageId[]::new));
            }
        }
        batch.execute();
    }

    /**
     * XAUTOCLAIM on every stream in one round trip (lua/stream/reclaim.lua): entries idle longer than
     * {@code minIdleMs} (their consumer died or hung), at most {@code count} per stream, each with the attempt it
     * will be (Redis's delivery count plus counted retries).
     *
     * @param instanceOf the instance a stream key belongs to
     */
    public List<StreamEntry> reclaim(List<String> streamKeys, String group, String consumer, long minIdleMs, int count,
                                     String legacyChatField, java.util.function.Function<String, String> instanceOf) {
        if (streamKeys.isEmpty()) {
            return List.of();
        }
        List<List<String>> groups = slotGroups(streamKeys);
        List<List<Object>> answers = perSlot(streamKeys, RECLAIM, RScript.ReturnType.MULTI, group, consumer,
                String.valueOf(minIdleMs), String.valueOf(count));
        List<StreamEntry> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            out.addAll(reclaimed(groups.get(g), answers.get(g), legacyChatField, instanceOf));
        }
        return out;
    }

    private static List<StreamEntry> reclaimed(List<String> streamKeys, List<Object> r, String legacyChatField,
                                               java.util.function.Function<String, String> instanceOf) {
        List<StreamEntry> out = new ArrayList<>(r.size());
        for (Object o : r) {
            List<?> e = (List<?>) o;
            String key = streamKeys.get((int) toLong(e.get(0)) - 1);
            Map<String, String> fields = new LinkedHashMap<>();
            List<?> flat = (List<?>) e.get(2);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
            }
            out.add(entry(instanceOf.apply(key), key, String.valueOf(e.get(1)), fields, (int) toLong(e.get(3)), true,
                    legacyChatField));
        }
        return out;
    }

    /** Builds the entry a consumer holds, with its chat key from the entry or, for older entries, the payload. */
    public static StreamEntry entry(String instance, String key, String id, Map<String, String> fields, int delivery,
                                    boolean reclaimed, String legacyChatField) {
        String chat = chatOf(fields, legacyChatField);
        return new StreamEntry(instance, key, id, fields, chat, chat.isEmpty() ? "" : member(id), delivery, reclaimed);
    }

    /**
     * The chat key of an entry: its {@code chat} field, written by our producer; for entries written without
     * one (the previous system, admin re-adds) {@link Keys#chat} of the payload's {@code legacyChatField}.
     * Empty when neither is there (the entry keeps no order; a poison entry, say).
     */
    static String chatOf(Map<String, String> fields, String legacyChatField) {
        String chat = fields.get(StreamEntry.CHAT_FIELD);
        if (chat != null && !chat.isEmpty()) {
            return chat;
        }
        String payload = fields.get("payload");
        if (payload == null || legacyChatField == null || legacyChatField.isEmpty()) {
            return "";
        }
        try {
            JsonNode v = JSON.readTree(payload).path(legacyChatField);
            return v.isTextual() && !v.asText().isEmpty() ? Keys.chat(v.asText()) : "";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "";
        }
    }

    /**
     * Removes our consumers that hold nothing and have given no sign of life for {@code deadAfterMs}, on every
     * stream in one round trip (lua/stream/sweep.lua), so consumer counts tell the truth (the previous system's
     * count only grew). Other software's consumers are left. Returns the names removed.
     */
    public List<String> removeDeadConsumers(List<String> streamKeys, String group, String me, long deadAfterMs) {
        if (streamKeys.isEmpty()) {
            return List.of();
        }
        List<List<Object>> r = perSlot(streamKeys, SWEEP, RScript.ReturnType.MULTI, group, me,
                String.valueOf(System.currentTimeMillis()), String.valueOf(deadAfterMs));
        return r.stream().flatMap(List::stream).map(String::valueOf).toList();
    }

    /**
     * On a clean stop, in one round trip (lua/stream/leave.lua): where {@code consumer} holds nothing it leaves the
     * group (and the heartbeats); where it still holds entries, their idle time is set to {@code handOverIdleMs},
     * so another worker takes them over on its next reclaim instead of waiting out the claim idle time. Returns
     * how many streams it left.
     */
    public long leave(List<String> streamKeys, String group, String consumer, long handOverIdleMs) {
        if (streamKeys.isEmpty()) {
            return 0;
        }
        long left = 0;
        for (Object n : perSlot(streamKeys, LEAVE, RScript.ReturnType.INTEGER, group, consumer,
                String.valueOf(handOverIdleMs))) {
            left += n == null ? 0 : toLong(n);
        }
        return left;
    }

    public List<StreamGroup> groups(String key) {
        RStream<String, String> s = stream(key);
        return s.isExists() ? s.listGroups() : List.of();
    }

    /** The order-set member of a stream id, as lua/stream/order-lib.lua builds it. */
    public static String member(String id) {
        int dash = id.indexOf('-');
        return id.substring(0, dash) + "-" + String.format("%020d", Long.parseLong(id.substring(dash + 1)));
    }

    public static StreamMessageId messageId(String id) {
        int dash = id.indexOf('-');
        return new StreamMessageId(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    }

    private static long toLong(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
    }

}
