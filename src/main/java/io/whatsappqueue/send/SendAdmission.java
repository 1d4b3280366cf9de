package io.whatsappqueue.send;

import java.util.List;

import io.whatsappqueue.redis.LuaScripts;
import io.whatsappqueue.stream.EntryScripts;
import io.whatsappqueue.stream.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/**
 * The send route's checks before the POST, as one answer in property {@value #PROPERTY}: {@code sent} (the send
 * marker exists: acknowledged without a second POST), {@code opted_out}, {@code cancelled}, or {@code go} (claimed:
 * status leaving, attempt counted, echo expected). Usually the stream consumer asked them with the read, in the
 * same script that confirmed the entry as its chat's head ({@link SendEntryScripts}, header
 * {@link RedisStreamConstants#ADMISSION}); that answer is used when it is at most {@link #MAX_AGE_MS} old, else
 * (a retry, a pause, an entry taken over, a long wait for a token) they are asked now, in one script call.
 */
public final class SendAdmission {
    /** Exchange property with the answer. */
    public static final String PROPERTY = "WaAdmission";
    /**
     * The longest an answer given with the read is trusted: an opt-out or a cancel that arrives in between is seen
     * at most this late. Far below WA_ECHO_EXPECT_TTL_S (the echo expectation it set must outlive the POST).
     */
    static final long MAX_AGE_MS = 1000;

    private final SendEntryScripts scripts;
    private final LuaScripts lua;
    private final String admit;

    public SendAdmission(RedissonClient redis, SendEntryScripts scripts) {
        this.scripts = scripts;
        this.lua = new LuaScripts(redis);
        this.admit = LuaScripts.withOrderLib("send/admit.lua", scripts.lua());
    }

    /**
     * Route step after the rate limit, before the POST.
     * Reads: property WaMessage; header CamelRedisStreamInstance, CamelRedisStreamAdmission,
     * CamelRedisStreamAdmittedAt. Sets: property WaAdmission (also returned).
     */
    public String admit(Exchange exchange) {
        Message in = exchange.getMessage();
        String given = in.getHeader(RedisStreamConstants.ADMISSION, String.class);
        long at = in.getHeader(RedisStreamConstants.ADMITTED_AT, 0L, Long.class);
        String answer;
        if (given != null && System.currentTimeMillis() - at <= MAX_AGE_MS) {
            answer = given;
        } else {
            OutboundMessage m = exchange.getProperty(OutboundMessages.PROPERTY, OutboundMessage.class);
            EntryScripts.Call call = scripts.admission(in.getHeader(RedisStreamConstants.INSTANCE, String.class), m,
                    "go".equals(given));
            answer = lua.eval(admit, RScript.ReturnType.VALUE, List.copyOf(call.keys()), call.args().toArray());
        }
        exchange.setProperty(PROPERTY, answer);
        return answer;
    }
}
