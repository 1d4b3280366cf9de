package io.whatsappqueue.admin;

import java.util.List;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import io.whatsappqueue.stream.ConsumerNames;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/**
 * Keeps this process's send-stream consumer visibly alive while its send route runs, so health counts live
 * consumers by idle time (ConsumerLiveness). Needed on Redis 7.0, where an empty XREADGROUP does not refresh a
 * consumer's idle time (Redis 7.2 does): an idle worker would otherwise look dead after 30 s. Timer route
 * {@code stream-consumer-heartbeat}, worker processes only.
 */
public final class ConsumerHeartbeat {
    /** The route whose consumer this vouches for (send.camel.yaml). */
    static final String SEND_ROUTE = "reply-send";
    private static final String HEARTBEAT = LuaScripts.plain("consumer-heartbeat.lua");

    private final LuaScripts lua;
    private final List<String> instances;
    private final CamelContext camel;

    public ConsumerHeartbeat(RedissonClient redis, List<String> instances, CamelContext camel) {
        this.lua = new LuaScripts(redis);
        this.instances = List.copyOf(instances);
        this.camel = camel;
    }

    /** Timer step. Does nothing while the send route is not running: a stopped consumer must look stopped. */
    public void beat() {
        ServiceStatus status = camel.getRouteController().getRouteStatus(SEND_ROUTE);
        if (status == null || !status.isStarted()) {
            return;
        }
        for (String instance : instances) {
            lua.eval(HEARTBEAT, RScript.ReturnType.INTEGER, List.of(Keys.sendStream(instance)), Keys.SEND_GROUP,
                    ConsumerNames.ofThisProcess());
        }
    }

    /** How often to beat: as often as a reading worker would refresh itself, at most once a second. */
    public static long periodMs(long blockMs, long claimIdleMs) {
        return Math.max(1000, Math.min(blockMs, claimIdleMs / 3));
    }
}
