package io.whatsappqueue.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.redis.ReplicaBarrier;
import io.whatsappqueue.send.ReplyQueue;
import org.redisson.api.RedissonClient;

/**
 * The replies a scenario queues, through the app's own producer ({@link ReplyQueue#enqueue}): message ids
 * {@code <prefix>-000123}, round-robin over chats {@code c017} (a fictional UK number each), with a per-chat sequence
 * number in the text ({@code fault m-000123 c017 #3}) so the stand-in's log names each message; each to the
 * instance {@link Stage#INSTANCE} unless {@link Msg#in} says otherwise. Remembers which were accepted (QUEUED) and
 * when.
 */
final class Replies implements AutoCloseable {
    record Msg(String id, String chat, int seq, String to, String instance) {
        String text() {
            return "fault " + id + " " + chat + " #" + seq;
        }

        /** The same message, queued for {@code otherInstance}. */
        Msg in(String otherInstance) {
            return new Msg(id, chat, seq, to, otherInstance);
        }
    }

    private final RedissonClient redisson;
    private final ReplyQueue queue;
    private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    private final Map<String, Msg> byId = new ConcurrentHashMap<>();
    private final List<String> refused = new ArrayList<>();

    Replies(RedisSetup redis) {
        this.redisson = redis.connect();
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
                    String.format("447700%06d", c), Stage.INSTANCE));
        }
        return msgs;
    }

    /** Queues one message; true when accepted. A refusal (Redis down) is remembered, not thrown. */
    boolean enqueue(Msg m) {
        byId.put(m.id(), m);
        try {
            ReplyQueue.Result r = queue.enqueue(m.instance(), m.id(), m.to(), m.text(), null);
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

    /**
     * As {@link #enqueueAll}, chats in parallel (8 threads), each chat's messages in order: a large backlog is in
     * Redis within a moment, before the workers drained much of it.
     */
    void enqueueAllChatsAtOnce(List<Msg> msgs) {
        Map<String, List<Msg>> byChat = new java.util.LinkedHashMap<>();
        msgs.forEach(m -> byChat.computeIfAbsent(m.instance() + "/" + m.chat(), k -> new ArrayList<>()).add(m));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            pool.invokeAll(byChat.values().stream().map(chat -> (java.util.concurrent.Callable<Void>) () -> {
                chat.forEach(this::enqueue);
                return null;
            }).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Returns once {@code replicas} replicas hold everything queued so far for each of {@code instances} (the app's
     * own {@link ReplicaBarrier}, as WA_REDIS_WAIT_REPLICAS does for the app's writes): a backlog queued before a
     * failover counts as accepted only then. Throws when they do not within 5 s.
     */
    void awaitReplicated(int replicas, List<String> instances) {
        ReplicaBarrier barrier = new ReplicaBarrier(redisson, replicas, 5_000);
        instances.forEach(barrier::await);
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
