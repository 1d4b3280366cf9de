package io.whatsappqueue.redis;

import java.time.Duration;

import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisWaitException;
import org.redisson.client.codec.StringCodec;

/**
 * WA_REDIS_WAIT_REPLICAS (DESIGN §3): makes a write count only once that many replicas hold it. Redis
 * replication is asynchronous, so a failover can drop writes the old master acknowledged; {@code WAIT n t}
 * blocks until n replicas acknowledged every write the calling connection made (Redis docs, WAIT). Our writes
 * go over a pool of connections, so the barrier writes one small key of the instance
 * ({@link Keys#replicationBarrier}) and WAITs on that same connection, in one pipelined batch: a replica's
 * acknowledged offset is global, so reaching the barrier's offset means it holds every earlier write to that
 * master too, whichever connection made it. The key carries the instance's hash tag when hash tags are on, so
 * in Cluster mode the barrier lands on the master that holds the instance's other keys.
 *
 * <p>With 0 replicas (the default) {@link #await} does nothing.
 */
public final class ReplicaBarrier {
    private final RedissonClient redis;
    private final int replicas;
    private final long timeoutMs;

    /**
     * @param replicas  replicas that must acknowledge; 0 turns the barrier off
     * @param timeoutMs longest wait for them, ms
     */
    public ReplicaBarrier(RedissonClient redis, int replicas, long timeoutMs) {
        this.redis = redis;
        this.replicas = replicas;
        this.timeoutMs = timeoutMs;
    }

    /** A barrier that never waits (0 replicas). */
    public static ReplicaBarrier off(RedissonClient redis) {
        return new ReplicaBarrier(redis, 0, 1);
    }

    public boolean enabled() {
        return replicas > 0;
    }

    /**
     * Returns once {@code replicas} replicas hold every write made so far to the master of {@code instance}'s
     * keys; one round trip plus the replication lag.
     *
     * @throws RedisWaitException when fewer acknowledged within the timeout (a pause, not a failure: the caller
     *                            answers 503 or keeps the entry and tries again); any Redis error as it comes
     */
    public void await(String instance) {
        if (replicas <= 0) {
            return;
        }
        write(Keys.replicationBarrier(instance), String.valueOf(System.currentTimeMillis()), Duration.ofMinutes(10));
    }

    /**
     * Sets {@code key} to {@code value} for {@code ttl} and, with replicas required, returns only once they hold
     * it (and every earlier write to that master): the readiness probe's write.
     *
     * @throws RedisWaitException when fewer replicas acknowledged within the timeout; any Redis error as it comes
     */
    public void write(String key, String value, Duration ttl) {
        if (replicas <= 0) {
            redis.getBucket(key, StringCodec.INSTANCE).set(value, ttl);
            return;
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults().sync(replicas, Duration.ofMillis(timeoutMs)));
        batch.getBucket(key, StringCodec.INSTANCE).setAsync(value, ttl);
        BatchResult<?> r = batch.execute();
        if (r.getSyncedSlaves() < replicas) {
            throw new RedisWaitException("NOREPLICAS: " + r.getSyncedSlaves() + " of " + replicas
                    + " replica(s) acknowledged the write within " + timeoutMs + " ms (WA_REDIS_WAIT_REPLICAS)");
        }
    }
}
