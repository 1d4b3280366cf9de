package io.whatsappqueue.send;

import java.text.Normalizer;
import java.time.Duration;
import java.util.List;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;

/**
 * Tells the echoes of our own sends from staff typing on the clinic's phone. Evolution reports every message
 * it sends for us back to the webhook ({@code messages.upsert} with {@code fromMe}, and {@code send.message}),
 * and that echo may arrive before or after the 201 that tells us its key.id (the real-world case in issue 9).
 * So each send is recognised two ways:
 * <ul>
 *   <li>before the POST, an expected echo for the chat: the hash of its text, one per message_id (each part
 *   of a split reply is its own send), kept {@code expectTtl}; an echo with that text in that chat uses it up
 *   and its key.id is remembered as ours;</li>
 *   <li>after the 201, the key.id Evolution returned is remembered as ours for 24 h (every later echo with
 *   that id, whichever event carries it) and the expectation is dropped.</li>
 * </ul>
 * A fromMe message matching neither is a person. The send route expects the echo in its admission and remembers the
 * key.id with the acknowledgement ({@link SendEntryScripts}). Both checks and the remembering run in one Lua script, so
 * two echoes of one send arriving at once, or an echo racing the 201, never read as staff.
 */
public final class OwnSends {
    static final Duration OURS_TTL = Duration.ofHours(24);

    /** KEYS: expected echoes of the chat, ours marker of the echo's key.id. ARGV: text hash, now ms, ours TTL ms. */
    private static final String RECOGNISE = """
            if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
            if ARGV[1] == '' then return 0 end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
            local prefix = ARGV[1] .. ':'
            for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              if string.sub(m, 1, #prefix) == prefix then
                redis.call('ZREM', KEYS[1], m)
                redis.call('SET', KEYS[2], string.sub(m, #prefix + 1), 'PX', ARGV[3])
                return 1
              end
            end
            return 0""";
    /** KEYS: expected echoes of the chat. ARGV: member, expiry ms, key TTL ms. */
    private static final String EXPECT = """
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return 1""";

    private final LuaScripts lua;
    private final Duration expectTtl;

    /** @param expectTtl how long an expected echo waits (WA_ECHO_EXPECT_TTL_S): longer than a sendText call */
    public OwnSends(RedissonClient redis, Duration expectTtl) {
        this.lua = new LuaScripts(redis);
        this.expectTtl = expectTtl;
    }

    /**
     * This message's echo may come before the 201: expect it. The send route does the same inside its admission
     * (lua/send/entry-hooks.lua wq_admit, {@link SendAdmission}); this is for callers outside the route.
     */
    public void expect(String instance, OutboundMessage m) {
        lua.eval(EXPECT, RScript.ReturnType.INTEGER, List.of(Keys.expectedEchoes(instance, m.to())),
                member(m), String.valueOf(System.currentTimeMillis() + expectTtl.toMillis()),
                String.valueOf(expectTtl.toMillis()));
    }

    /**
     * Whether a fromMe message in a 1:1 chat is one of our sends: its key.id is known as ours, or it matches
     * an expected echo of that chat (which it uses up, remembering its key.id).
     *
     * @param text the message's text, or null when it has none
     */
    public boolean isOurs(String instance, String contactId, String keyId, String text) {
        if (keyId == null) {
            return false;
        }
        Long r = lua.eval(RECOGNISE, RScript.ReturnType.INTEGER,
                List.of(Keys.expectedEchoes(instance, contactId), Keys.ours(instance, keyId)),
                text == null ? "" : textHash(text), String.valueOf(System.currentTimeMillis()),
                String.valueOf(OURS_TTL.toMillis()));
        return r != null && r == 1L;
    }

    /** The expected echo of {@code m}: its text's hash and its message_id (also lua/send/entry-hooks.lua's). */
    static String member(OutboundMessage m) {
        return textHash(m.text()) + ":" + m.messageId();
    }

    /** Evolution echoes the text as sent; only line endings, Unicode form and surrounding space may differ. */
    static String textHash(String text) {
        String t = Normalizer.normalize(text.replace("\r\n", "\n"), Normalizer.Form.NFC).strip();
        return Keys.sha256(t);
    }
}
