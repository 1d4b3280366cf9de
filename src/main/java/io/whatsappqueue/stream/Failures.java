package io.whatsappqueue.stream;

import org.redisson.client.RedisBusyException;
import org.redisson.client.RedisClusterDownException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisMasterDownException;
import org.redisson.client.RedisNoReplicasException;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.RedisReadonlyException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.RedisTryAgainException;
import org.redisson.client.RedisWaitException;

/**
 * Tells a pause from a failed attempt (docs/guarantees.md I5). A pause is a {@link PauseSignal} or Redis
 * being unable to serve us for a while: unreachable, timed out, refusing writes (maxmemory with noeviction
 * answers OOM; a demoted master answers READONLY), loading, or a cluster/replica condition. Anything else,
 * a Lua or WRONGTYPE error included, is the entry's own failure and uses an attempt, so it ends in the
 * dead-letter stream rather than looping forever.
 */
public final class Failures {

    private Failures() {
    }

    /** True when {@code t} or one of its causes means "try again later, without counting an attempt". */
    public static boolean isPause(Throwable t) {
        return isPauseSignal(t) || isRedisUnavailable(t);
    }

    /** True when {@code t} or one of its causes is a {@link PauseSignal}. */
    public static boolean isPauseSignal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PauseSignal) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code t} or one of its causes says Redis cannot serve us right now. */
    public static boolean isRedisUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RedisTimeoutException || c instanceof RedisConnectionException
                    || c instanceof RedisOutOfMemoryException || c instanceof RedisReadonlyException
                    || c instanceof RedisLoadingException || c instanceof RedisTryAgainException
                    || c instanceof RedisClusterDownException || c instanceof RedisMasterDownException
                    || c instanceof RedisNoReplicasException || c instanceof RedisWaitException
                    || c instanceof RedisRetryException || c instanceof RedisBusyException) {
                return true;
            }
            if (c instanceof RedisException && refusal(c.getMessage())) {
                return true;
            }
            if (c instanceof java.util.concurrent.TimeoutException || c instanceof org.redisson.RedissonShutdownException) {
                return true;
            }
        }
        return false;
    }

    /** Error replies Redisson does not map to a class of its own (it raises a plain RedisException). */
    private static boolean refusal(String message) {
        if (message == null) {
            return false;
        }
        return message.contains("OOM ") || message.contains("READONLY") || message.contains("LOADING")
                || message.contains("MASTERDOWN") || message.contains("NOREPLICAS") || message.contains("BUSY ")
                || message.contains("CLUSTERDOWN") || message.contains("TRYAGAIN")
                || message.contains("Unable to write command") || message.contains("Connection closed")
                || message.contains("Redisson is shutdown");
    }
}
