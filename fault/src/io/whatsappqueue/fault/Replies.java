package io.whatsappqueue.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.redis.RedisConnector;
import io.whatsappqueue.send.ReplyQueue;
import org.redisson.api.RedissonClient;

/**
 * The replies a scenario queues, through the app's own producer ({@link ReplyQueue#enqueue}): message ids
 * {@code <prefix>-000123}, round-robin over chats {@code c017} (a fictional UK number each), with a per-chat sequence
 * number in the text ({@code fault m-000123 c017 #3}) so the stand-in's log names each message. Remembers which
 * were accepted (QUEUED) and when.
 */
final class Replies implements AutoCloseable {
    record Msg(String id, String chat, int seq, String to) {
        String text() {
            return "fault " + id + " " + chat + " #" + seq;
        }
    }

    private final String instance;
    private final RedissonClient redisson;
    private final ReplyQueue queue;
    private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    private final Map<String, Msg> byId = new ConcurrentHashMap<>();
    private final List<String> refused = new ArrayList<>();

    Replies(String redisUrl, String instance) {
        this.instance = instance;
        this.redisson = RedisConnector.connect(redisUrl, 4);
        this.queue = new ReplyQueue(redisson, 100_000);
    }

    /** {@code count} messages over {@code chats} chats (c000 on), round-robin, ids {@code prefix-NNNNNN} from 1. */
    static List<Msg> plan(String prefix, int count, int chats) {
        return plan(prefix, count, chats, 0);
    }

    /** As {@link #plan(String, int, int)}, the chats numbered from {@code firstChat}. */
    static List<Msg> plan(String prefix, int count, int chats, int firstChat) {
        List<Msg> msgs = new ArrayList<>(count);
        int[] seq = new int[chats];
        for (int i = 0; i < count; i++) {
            int c = firstChat + i % chats;
            String chat = String.format("c%03d", c);
            msgs.add(new Msg(String.format("%s-%06d", prefix, i + 1), chat, ++seq[c - firstChat],
                    String.format("447700%06d", c)));
        }
        return msgs;
    }

    /** Queues one message; true when accepted. A refusal (Redis down) is remembered, not thrown. */
    boolean enqueue(Msg m) {
        byId.put(m.id(), m);
        try {
            ReplyQueue.Result r = queue.enqueue(instance, m.id(), m.to(), m.text(), null);
            if (r.outcome() == ReplyQueue.Outcome.QUEUED) {
                acceptedAt.put(m.id(), System.currentTimeMillis());
                return true;
            }
            return false;
        } catch (RuntimeException e) {
            synchronized (refused) {
                refused.add(m.id() + ": " + e.getMessage());
            }
            return false;
        }
    }

    void enqueueAll(List<Msg> msgs) {
        msgs.forEach(this::enqueue);
    }

    Map<String, Long> acceptedAt() {
        return acceptedAt;
    }

    Msg msg(String id) {
        return byId.get(id);
    }

    int refusedCount() {
        synchronized (refused) {
            return refused.size();
        }
    }

    @Override
    public void close() {
        redisson.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
