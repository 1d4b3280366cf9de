package io.whatsappqueue.ratelimit;

import java.util.List;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/**
 * The per-instance token bucket shared by every worker: one Lua script reserves a token atomically and
 * answers how long to wait before sending. A rate of 0 turns the limit off (benchmarks, tests).
 */
public final class TokenBucket {
    private static final String SCRIPT = LuaScripts.plain("ratelimit/token-bucket.lua");

    private final LuaScripts lua;
    private final double tokensPerSecond;
    private final int capacity;

    public TokenBucket(RedissonClient redis, double tokensPerSecond, int capacity) {
        this.lua = new LuaScripts(redis);
        this.tokensPerSecond = tokensPerSecond;
        this.capacity = capacity;
    }

    /**
     * Milliseconds to wait before the reserved token may be used.
     * Reads: its argument (the instance). Sets: nothing; returns the wait in ms.
     */
    public long reserve(String instance) {
        if (tokensPerSecond <= 0) {
            return 0;
        }
        Long wait = lua.eval(SCRIPT, RScript.ReturnType.INTEGER, List.of(Keys.rateLimit(instance)),
                String.valueOf(tokensPerSecond), String.valueOf(capacity));
        return wait == null ? 0 : wait;
    }
}
