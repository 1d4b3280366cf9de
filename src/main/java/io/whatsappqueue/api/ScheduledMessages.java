package io.whatsappqueue.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.stream.StreamStore;
import io.whatsappqueue.tracing.EntryTraceContext;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves API messages from {@code wa:<inst>:scheduled} (score = due ms, DESIGN §6) into the send stream when due:
 * the timer route {@code scheduled-move} of every web process calls {@link #moveDue}, and an immediate message is
 * moved right after it was accepted. Exactly once however many processes race: the add is the stream's add-once
 * append ({@link StreamStore#add}, keyed by {@code wa:msg:<message_id>}) and only then is the member removed, so
 * a process dying in between leaves the member for the next tick, whose add is a no-op. A message is never added
 * before its due time (the range asked is up to now). Entries carry the chat field like every reply, so per-chat
 * order, the rate limit, retries, the DLQ and the opt-out apply in the send route.
 */
public final class ScheduledMessages {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");
    /** Most due messages one instance moves per tick; the next tick continues at once. */
    static final int BATCH = 500;
    private static final long ADD_ONCE_TTL_S = 86_400;
    /** A failing Redis is reported at most this often (the timer ticks every WA_SCHEDULE_POLL_MS). */
    private static final long PROBLEM_LOG_INTERVAL_MS = 10_000;
    private volatile long lastProblemLogMs;
    /** Record field: the part length (chars) a long text is cut at, fixed when the message was accepted. */
    static final String PART_CHARS = "part_chars";
    private static final java.util.Set<String> FIELDS = java.util.Set.of("status", "to", "text", "metadata", PART_CHARS,
            EntryTraceContext.TRACEPARENT, EntryTraceContext.TRACESTATE);

    private final RedissonClient redis;
    private final StreamStore store;
    private final MessageStatuses statuses;
    private final ServedInstances served;
    private final long maxLen;

    private final ExecutorService pool;

    /** @param pool runs the moves of different chats side by side (one chat's moves stay in due order) */
    public ScheduledMessages(RedissonClient redis, StreamStore store, MessageStatuses statuses, ServedInstances served,
                             long maxLen, ExecutorService pool) {
        this.pool = pool;
        this.redis = redis;
        this.store = store;
        this.statuses = statuses;
        this.served = served;
        this.maxLen = maxLen;
    }

    /** Timer step: moves every due message of every served instance; returns how many entered the stream. */
    public int moveDue() {
        return moveDueOf(served.instances());
    }

    int moveDueOf(Collection<String> instances) {
        int moved = 0;
        long now = System.currentTimeMillis();
        for (String instance : instances) {
            try {
                moved += moveDueIn(instance, now);
            } catch (RuntimeException e) {
                // Redis unavailable or refusing, or the send stream full (StreamFullException): the messages stay due
                // in wa:<inst>:scheduled and the next tick tries again
                long t = System.currentTimeMillis();
                if (t - lastProblemLogMs >= PROBLEM_LOG_INTERVAL_MS) {
                    lastProblemLogMs = t;
                    LOG.warn("outcome=scheduled_move_failed instance={} reason={}: {}", instance,
                            e.getClass().getSimpleName(), e.getMessage());
                }
            }
        }
        return moved;
    }

    private int moveDueIn(String instance, long now) {
        RScoredSortedSet<String> due = redis.getScoredSortedSet(Keys.scheduled(instance), StringCodec.INSTANCE);
        Collection<String> ids = due.valueRange(Double.NEGATIVE_INFINITY, true, now, true, 0, BATCH);
        if (ids.isEmpty()) {
            return 0;
        }
        // the records in one round trip, then each chat's messages in due order, the chats side by side
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<String, RFuture<Map<String, String>>> reads = new LinkedHashMap<>();
        for (String id : ids) {
            reads.put(id, batch.<String, String>getMap(Keys.status(instance, id), StringCodec.INSTANCE).getAllAsync(FIELDS));
        }
        batch.execute();
        Map<String, List<Runnable>> byChat = new LinkedHashMap<>();
        AtomicInteger moved = new AtomicInteger();
        reads.forEach((id, read) -> {
            Map<String, String> r = read.toCompletableFuture().join();
            String to = r.get("to");
            byChat.computeIfAbsent(to == null ? id : Keys.chat(to), c -> new ArrayList<>()).add(() -> {
                if (move(instance, id, r)) {
                    moved.incrementAndGet();
                }
            });
        });
        List<CompletableFuture<Void>> chats = new ArrayList<>(byChat.size());
        for (List<Runnable> moves : byChat.values()) {
            chats.add(CompletableFuture.runAsync(() -> moves.forEach(Runnable::run), pool));
        }
        CompletableFuture.allOf(chats.toArray(CompletableFuture[]::new)).join();
        return moved.get();
    }

    /** Adds one message to the send stream (once) and removes it from the scheduled set; false when it was not added now. */
    public boolean moveOne(String instance, String messageId) {
        return move(instance, messageId, redis.<String, String>getMap(Keys.status(instance, messageId),
                StringCodec.INSTANCE).getAll(FIELDS));
    }

    private boolean move(String instance, String messageId, Map<String, String> r) {
        String status = r.get("status");
        RScoredSortedSet<String> scheduled = redis.getScoredSortedSet(Keys.scheduled(instance), StringCodec.INSTANCE);
        if (status == null || r.get("text") == null || !List.of("scheduled", "queued").contains(status)) {
            // cancelled, expired, or already sent (its text is gone): nothing to add
            scheduled.remove(messageId);
            return false;
        }
        String to = r.get("to");
        String text = r.get("text");
        String partChars = r.get(PART_CHARS);
        List<String> texts = partChars == null ? List.of(text) : MessageParts.split(text, Integer.parseInt(partChars));
        boolean addedNow = false;
        for (int k = 1; k <= texts.size(); k++) {
            // one entry per part, in order in the chat's lane; a move that died half way is finished by the next
            // one, whose adds of the parts already in the stream are no-ops (add-once on each part's id)
            String partId = MessageParts.partId(messageId, k, texts.size());
            ObjectNode metadata = metadata(r.get("metadata"));
            if (metadata == null) {
                metadata = OutboundMessages.json().createObjectNode();
            }
            MessageParts.mark(metadata, messageId, k, texts.size());
            // the API request's trace: the send joins it (tracing on; none recorded otherwise)
            EntryTraceContext.putInto(metadata, EntryTraceContext.of(r));
            String payload = OutboundMessages.newPayload(partId, to, texts.get(k - 1), metadata);
            StreamStore.AddResult added = store.add(Keys.sendStream(instance), Keys.enqueued(instance, partId), payload,
                    Keys.chat(to), maxLen, ADD_ONCE_TTL_S);
            addedNow |= added.outcome() == StreamStore.AddOutcome.ADDED;
        }
        scheduled.remove(messageId);
        statuses.change(instance, messageId, "queued", null, null);
        return addedNow;
    }

    private static ObjectNode metadata(String json) {
        try {
            return json == null ? null : (ObjectNode) OutboundMessages.json().readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("status record holds metadata that is not a JSON object", e);
        }
    }
}
