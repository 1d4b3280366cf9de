package io.whatsappqueue.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.whatsappqueue.evolution.InstanceNames;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import io.whatsappqueue.stream.PoisonEntryException;
import io.whatsappqueue.stream.RedisStreamConstants;
import io.whatsappqueue.stream.StreamFullException;
import io.whatsappqueue.stream.StreamStore;
import org.apache.camel.Exchange;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Burst debounce (WA_DEBOUNCE_MS, WA_DEBOUNCE_MAX_MS; DESIGN §10): one chat's messages that come within the window of
 * each other get one answer. The reply route holds each message in its chat's burst in Redis
 * ({@link #hold}, lua/debounce/hold.lua) instead of answering it; every window restarts with a new message, but a
 * burst is due at the latest the cap after its first message (times are when the webhook received each message). The timer route {@code debounce-fire} of every web
 * process puts each due burst back on the inbound stream as one entry ({@link #fireDue}, lua/debounce/fire.lua),
 * which the reply route answers as one message whose key.id is the burst's last. Nothing waits in a process: a web
 * process stopped or killed during a window leaves the burst in Redis for whichever process ticks next, and
 * however many tick, a burst is taken out and added in one atomic step, so it is added once.
 */
public final class BurstBuffer {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.messages");
    private static final String HOLD = LuaScripts.plain("debounce/hold.lua");
    private static final String FIRE = LuaScripts.withStreamAdd("debounce/fire.lua");
    /** Most due bursts of one instance put back per tick; the next tick continues. */
    static final int BATCH = 200;
    /** A message taken into a burst is not taken again for as long as a webhook duplicate is refused (DESIGN §4). */
    private static final long MEMBER_TTL_S = 86_400;
    /** A failing Redis is reported at most this often (the timer ticks several times a second). */
    private static final long PROBLEM_LOG_INTERVAL_MS = 10_000;

    private final RedissonClient redis;
    private final LuaScripts lua;
    private final ServedInstances served;
    private final long windowMs;
    private final long capMs;
    private final long maxLen;
    private volatile long lastProblemLogMs;

    /**
     * @param windowMs WA_DEBOUNCE_MS; 0: off, every message is answered on its own
     * @param capMs    WA_DEBOUNCE_MAX_MS: the longest a burst waits after its first message
     * @param maxLen   WA_STREAM_MAXLEN of the inbound stream the bursts go back to
     */
    public BurstBuffer(RedissonClient redis, ServedInstances served, long windowMs, long capMs, long maxLen) {
        this.redis = redis;
        this.lua = new LuaScripts(redis);
        this.served = served;
        this.windowMs = windowMs;
        this.capMs = capMs;
        this.maxLen = maxLen;
    }

    /** How often the timer route looks for due bursts (ms): a tenth of the window, between 25 and 250. */
    public static long pollMs(long windowMs) {
        return Math.max(25, Math.min(250, windowMs / 10));
    }

    /**
     * Route filter: the message is to wait for its burst: debounce is on and the entry is one message, not a burst
     * put back. Reads: property WaBurst. Sets: nothing.
     */
    public boolean applies(Exchange exchange) {
        return windowMs > 0 && exchange.getProperty(InboundEntries.BURST) == null;
    }

    /**
     * Route step: the message joins its chat's burst; the entry may then be acknowledged (the burst holds it). A
     * redelivered entry whose message the burst already took adds nothing.
     * Reads: property WaInbound; header CamelRedisStreamFields (the entry's payload, kept as it is). Sets: nothing
     * (Redis, log).
     */
    public void hold(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        @SuppressWarnings("unchecked")
        Map<String, String> fields = exchange.getMessage().getHeader(RedisStreamConstants.FIELDS, Map.class);
        String chat = Keys.chat(e.contactId());
        Long size = lua.eval(HOLD, RScript.ReturnType.INTEGER, List.of(Keys.debounceDue(e.instance()),
                        Keys.burst(e.instance(), chat), Keys.burstMember(e.instance(), e.keyId())),
                chat, fields.get("payload"), String.valueOf(windowMs), String.valueOf(capMs), String.valueOf(MEMBER_TTL_S),
                String.valueOf(Math.round(e.receivedAt() * 1000)));
        LOG.debug("outcome={} instance={} key_id={} burst_size={}", size == 0 ? "burst_already_holds" : "held_for_burst",
                e.instance(), InstanceNames.safeForLog(e.keyId()), size);
    }

    /**
     * The texts of the messages {@code contactId}'s burst holds now, oldest first (empty when none): what the patient
     * wrote that no reply has answered yet. Read only; a hand-off shows them to staff, since the burst, once fired
     * into a paused chat, is not answered.
     */
    public List<String> heldTexts(String instance, String contactId) {
        Map<String, String> burst = redis.<String, String>getMap(Keys.burst(instance, Keys.chat(contactId)),
                StringCodec.INSTANCE).readAllMap();
        List<String> texts = new ArrayList<>();
        int n = burst.containsKey("n") ? Integer.parseInt(burst.get("n")) : 0;
        for (int i = 1; i <= n; i++) {
            String payload = burst.get(String.valueOf(i));
            if (payload == null) {
                continue;
            }
            try {
                // the same reading as the reply step's (InboundEntries), so staff see what the AI would have seen
                String text = InboundEntries.parse(payload, instance).text();
                if (text != null && !text.isEmpty()) {
                    texts.add(text);
                }
            } catch (PoisonEntryException e) {
                // an unreadable held payload is the reply step's to report when the burst fires
            }
        }
        return texts;
    }

    /** Timer step: every due burst of every served instance back onto its inbound stream; returns how many. */
    public int fireDue() {
        List<String> instances = new ArrayList<>(served.instances());
        List<CompletableFuture<List<Object>>> calls = new ArrayList<>(instances.size());
        for (String instance : instances) {
            calls.add(lua.<List<Object>>evalAsync(FIRE, RScript.ReturnType.MULTI,
                    List.of(Keys.debounceDue(instance), Keys.inboundStream(instance)), Keys.burstPrefix(instance),
                    String.valueOf(maxLen), String.valueOf(StreamStore.ORDER_TTL_MS), String.valueOf(BATCH))
                    .toCompletableFuture());
        }
        int fired = 0;
        for (int i = 0; i < instances.size(); i++) {
            try {
                fired += fired(instances.get(i), calls.get(i).join());
            } catch (RuntimeException e) {
                // Redis unavailable or refusing, or the inbound stream full: the bursts stay due and the next tick tries again
                problem(instances.get(i), e);
            }
        }
        return fired;
    }

    private int fired(String instance, List<Object> answer) {
        int bursts = ((Number) answer.get(0)).intValue();
        if (bursts > 0) {
            LOG.info("outcome=bursts_queued instance={} bursts={} messages={}", instance, bursts, answer.get(1));
        }
        if ("full".equals(String.valueOf(answer.get(2)))) {
            problem(instance, new StreamFullException(Keys.inboundStream(instance), maxLen));
        }
        return bursts;
    }

    private void problem(String instance, RuntimeException e) {
        long t = System.currentTimeMillis();
        if (t - lastProblemLogMs >= PROBLEM_LOG_INTERVAL_MS) {
            lastProblemLogMs = t;
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("outcome=burst_fire_failed instance={} reason={}: {}", instance, cause.getClass().getSimpleName(),
                    cause.getMessage());
        }
    }
}
