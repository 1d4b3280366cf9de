package io.whatsappqueue.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.AutoClaimResult;
import org.redisson.api.PendingEntry;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamConsumer;
import org.redisson.api.StreamGroup;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.RedisBusyException;
import org.redisson.client.codec.StringCodec;

/**
 * The Redis stream operations of a consumer group member: read with per-chat registration, wait, finish,
 * count a retry, keep held entries fresh, reclaim from dead consumers, and tidy dead consumers away.
 */
public final class StreamStore {
    /** Order sets outlive any legitimate wait; a forgotten one expires. */
    private static final long ORDER_TTL_MS = Duration.ofDays(2).toMillis();
    private static final String READ = LuaScripts.withOrderLib("read.lua");
    private static final String REGISTER = LuaScripts.withOrderLib("register.lua");
    private static final String CHATS = LuaScripts.withOrderLib("chat.lua");
    private static final String FINISH = LuaScripts.withOrderLib("finish.lua");

    private final RedissonClient redis;
    private final LuaScripts lua;
    private final ConsumerLiveness liveness;

    public StreamStore(RedissonClient redis, ConsumerLiveness liveness) {
        this.redis = redis;
        this.lua = new LuaScripts(redis);
        this.liveness = liveness;
    }

    public ConsumerLiveness liveness() {
        return liveness;
    }

    public RStream<String, String> stream(String key) {
        return redis.getStream(key, StringCodec.INSTANCE);
    }

    /**
     * Creates the group (reading from the start, so nothing already in the stream is abandoned) unless it
     * exists. Checked first because Redisson retries a BUSYGROUP reply for 5 s (CAMEL_NOTES §3).
     */
    public void ensureGroup(String key, String group) {
        RStream<String, String> s = stream(key);
        if (s.isExists() && s.listGroups().stream().anyMatch(g -> g.getName().equals(group))) {
            return;
        }
        try {
            s.createGroup(StreamCreateGroupArgs.name(group).id(StreamMessageId.ALL).makeStream());
        } catch (RedisBusyException raceWithAnotherWorker) {
            // another worker created it between our check and our create: the group exists, as wanted
            return;
        }
    }

    /** Makes the consumer visible in XINFO CONSUMERS before its first delivery (defect 23). */
    public void createConsumer(String key, String group, String consumer) {
        stream(key).createConsumer(group, consumer);
    }

    /** What one read gave: the entries, each with whether it is now the head of its chat. */
    public record ReadResult(String lastGeneratedId, List<StreamEntry> entries, List<Boolean> heads) {
    }

    public ReadResult read(String instance, String key, String group, String consumer, int count, String orderField) {
        List<Object> res = lua.eval(READ, RScript.ReturnType.MULTI, List.of(key),
                group, consumer, String.valueOf(count), orderField, Keys.orderPrefix(key), String.valueOf(ORDER_TTL_MS));
        String last = String.valueOf(res.get(0));
        List<StreamEntry> entries = new ArrayList<>(res.size() - 1);
        List<Boolean> heads = new ArrayList<>(res.size() - 1);
        for (int i = 1; i < res.size(); i++) {
            List<?> e = (List<?>) res.get(i);
            String chat = String.valueOf(e.get(2));
            String member = String.valueOf(e.get(3));
            entries.add(new StreamEntry(instance, key, String.valueOf(e.get(0)), fields((List<?>) e.get(1)),
                    chat, member, 1, false));
            heads.add(toLong(e.get(4)) == 1);
        }
        return new ReadResult(last, entries, heads);
    }

    /** Blocks until an entry newer than {@code afterId} is added, or the timeout passes. Consumes nothing. */
    public void waitForNew(String key, String afterId, long blockMs) {
        stream(key).read(StreamReadArgs.greaterThan(new StreamMessageId(
                Long.parseLong(afterId.substring(0, afterId.indexOf('-'))),
                Long.parseLong(afterId.substring(afterId.indexOf('-') + 1))))
                .count(1).timeout(Duration.ofMillis(blockMs)));
    }

    /** Registers held entries in their chats' order and answers which are now the head of their chat. */
    public List<Boolean> register(String key, Collection<StreamEntry> entries) {
        List<Object> args = new ArrayList<>();
        args.add(Keys.orderPrefix(key));
        args.add(String.valueOf(ORDER_TTL_MS));
        for (StreamEntry e : entries) {
            args.add(e.id());
            args.add(e.chat());
        }
        List<Object> res = lua.eval(REGISTER, RScript.ReturnType.MULTI, List.of(key), args.toArray());
        List<Boolean> heads = new ArrayList<>(res.size());
        for (Object o : res) {
            heads.add(toLong(o) == 1);
        }
        return heads;
    }

    /** Done with the entry: XACK, XDEL, forget retries, leave the chat order. Returns the chat's next head. */
    public String finish(StreamEntry e, String group) {
        Object head = lua.eval(FINISH, RScript.ReturnType.VALUE, List.of(e.stream(), Keys.retries(e.stream())),
                group, e.id(), e.ordered() ? Keys.orderPrefix(e.stream()) + e.chat() : "", e.member());
        return head == null ? null : String.valueOf(head);
    }

    /** Records one counted failed attempt beyond the delivery count; returns the retries so far. */
    public long countRetry(StreamEntry e) {
        Long n = lua.eval("return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)", RScript.ReturnType.INTEGER,
                List.of(Keys.retries(e.stream())), e.id());
        return n == null ? 0 : n;
    }

    /**
     * Keeps held entries owned and fresh so XAUTOCLAIM never steals an entry that is still being worked on.
     * {@code minIdleMs} (half the beat interval) stops us from taking back an entry another worker claimed
     * moments ago after we stalled: our own entries are always older than that when we touch them.
     */
    public void touch(String key, String group, String consumer, Collection<String> ids, long minIdleMs) {
        if (ids.isEmpty()) {
            return;
        }
        StreamMessageId[] arr = ids.stream().map(StreamStore::messageId).toArray(StreamMessageId[]::new);
        stream(key).fastClaim(group, consumer, minIdleMs, TimeUnit.MILLISECONDS, arr);
    }

    /**
     * XAUTOCLAIM of entries idle longer than {@code minIdleMs} (their consumer died or hung), with the
     * attempt number each will be: Redis's delivery count plus counted retries.
     */
    public List<StreamEntry> reclaim(String instance, String key, String group, String consumer, long minIdleMs,
                                     int count, String orderField) {
        RStream<String, String> s = stream(key);
        AutoClaimResult<String, String> r = s.autoClaim(group, consumer, minIdleMs, TimeUnit.MILLISECONDS,
                StreamMessageId.MIN, count);
        if (r.getMessages().isEmpty()) {
            return List.of();
        }
        List<StreamMessageId> ids = new ArrayList<>(r.getMessages().keySet());
        StreamMessageId min = ids.stream().min(StreamStore::compare).orElseThrow();
        StreamMessageId max = ids.stream().max(StreamStore::compare).orElseThrow();
        Map<String, Long> deliveries = new HashMap<>();
        for (PendingEntry p : s.listPending(group, consumer, min, max, Math.max(count, ids.size()) * 4)) {
            deliveries.put(p.getId().toString(), p.getLastTimeDelivered());
        }
        Map<String, String> retries = redis.<String, String>getMap(Keys.retries(key), StringCodec.INSTANCE)
                .getAll(ids.stream().map(Object::toString).collect(java.util.stream.Collectors.toSet()));
        List<Object> args = new ArrayList<>(List.of("", orderField));
        ids.forEach(id -> args.add(id.toString()));
        List<Object> chats = lua.eval(CHATS, RScript.ReturnType.MULTI, List.of(key), args.toArray());
        List<StreamEntry> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i).toString();
            String chat = String.valueOf(chats.get(i));
            String member = chat.isEmpty() ? "" : member(id);
            int delivery = (int) (deliveries.getOrDefault(id, 1L) + parse(retries.get(id)));
            out.add(new StreamEntry(instance, key, id, new LinkedHashMap<>(r.getMessages().get(ids.get(i))),
                    chat, member, delivery, true));
        }
        return out;
    }

    /**
     * Removes consumers of ours that hold nothing and have given no sign of life for {@code deadAfterMs},
     * so consumer counts tell the truth (the previous system's count only grew). Others' consumers are left.
     */
    public List<String> removeDeadConsumers(String key, String group, String me, long deadAfterMs) {
        RStream<String, String> s = stream(key);
        List<String> removed = new ArrayList<>();
        for (StreamConsumer c : s.listConsumers(group)) {
            if (c.getName().startsWith(ConsumerNames.PREFIX) && !c.getName().equals(me)
                    && c.getPending() == 0 && liveness.silenceMs(key, c) > deadAfterMs) {
                s.removeConsumer(group, c.getName());
                liveness.forget(key, c.getName());
                removed.add(c.getName());
            }
        }
        return removed;
    }

    public List<StreamGroup> groups(String key) {
        RStream<String, String> s = stream(key);
        return s.isExists() ? s.listGroups() : List.of();
    }

    /** The order-set member of a stream id, as order-lib.lua builds it. */
    public static String member(String id) {
        int dash = id.indexOf('-');
        return id.substring(0, dash) + "-" + String.format("%020d", Long.parseLong(id.substring(dash + 1)));
    }

    public static StreamMessageId messageId(String id) {
        int dash = id.indexOf('-');
        return new StreamMessageId(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    }

    private static int compare(StreamMessageId a, StreamMessageId b) {
        int c = Long.compare(a.getId0(), b.getId0());
        return c != 0 ? c : Long.compare(a.getId1(), b.getId1());
    }

    private static Map<String, String> fields(List<?> flat) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return m;
    }

    private static long toLong(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
    }

    private static long parse(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }
}
