package io.whatsappqueue.admin;

import io.whatsappqueue.evolution.ContactIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.config.Settings;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Per-chat controls the reply and send routes consult (bean {@code chatControls}): an operator's pause of AI
 * replies to one chat (kept in Redis with a TTL, so it survives restarts and ends by itself), and the
 * contact's own opt-out (STOP) until they opt in again (START). Contacts are normalised by {@link ContactIds}
 * and only their SHA-256 appears in key names.
 */
public final class ChatControls {
    private static final String PAUSE = """
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[5])
            return 1""";
    private static final String FORGET = """
            redis.call('ZREM', KEYS[2], ARGV[1])
            return redis.call('DEL', KEYS[1])""";
    private static final String OPT_OUT = """
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
            return 1""";

    private final RedissonClient redis;
    private final LuaScripts lua;
    private final Set<String> optOutKeywords;
    private final Set<String> optInKeywords;

    public ChatControls(RedissonClient redis, Set<String> optOutKeywords, Set<String> optInKeywords) {
        this.redis = redis;
        this.lua = new LuaScripts(redis);
        this.optOutKeywords = Set.copyOf(optOutKeywords);
        this.optInKeywords = Set.copyOf(optInKeywords);
    }

    /** A chat paused by an operator; {@code contact} is the normalised contact. */
    public record PausedChat(String contact, long pausedAtMs, long untilMs) {
    }

    /** A contact who opted out; {@code contact} is the normalised contact. */
    public record OptedOut(String contact, long sinceMs) {
    }

    /** True while an operator's pause of AI replies to this chat lasts. Unrecognisable ids are never paused. */
    public boolean isPaused(String instance, String contactId) {
        String c = ContactIds.normalise(contactId);
        return c != null && exists(Keys.chatPause(checked(instance), Keys.chat(c)));
    }

    public void pause(String instance, String contactId, Duration duration) {
        if (duration == null || duration.toMillis() < 1) {
            throw new IllegalArgumentException("a pause needs a positive duration");
        }
        String c = contact(contactId);
        String hash = Keys.chat(c);
        long now = System.currentTimeMillis();
        long until = now + duration.toMillis();
        ObjectNode v = AdminJson.object();
        v.put("contact", c);
        v.put("paused_at", now);
        v.put("until", until);
        lua.eval(PAUSE, RScript.ReturnType.INTEGER,
                List.of(Keys.chatPause(checked(instance), hash), Keys.chatPauses(instance)),
                v.toString(), String.valueOf(duration.toMillis()), String.valueOf(until), hash, String.valueOf(now));
    }

    /** Ends the pause; answers whether there was one. */
    public boolean resume(String instance, String contactId) {
        String hash = Keys.chat(contact(contactId));
        Long n = lua.eval(FORGET, RScript.ReturnType.INTEGER,
                List.of(Keys.chatPause(checked(instance), hash), Keys.chatPauses(instance)), hash);
        return n != null && n > 0;
    }

    /**
     * True when the contact wrote an opt-out keyword and has not opted in since.
     * Reads: its arguments (header CamelRedisStreamInstance, property WaMessage.to). Sets: nothing; returns the
     * answer (a filter).
     */
    public boolean isOptedOut(String instance, String contactId) {
        String c = ContactIds.normalise(contactId);
        return c != null && exists(Keys.optOut(checked(instance), Keys.chat(c)));
    }

    public void setOptOut(String instance, String contactId, boolean optedOut) {
        String c = contact(contactId);
        String hash = Keys.chat(c);
        List<Object> keys = List.of(Keys.optOut(checked(instance), hash), Keys.optOuts(instance));
        if (optedOut) {
            long now = System.currentTimeMillis();
            ObjectNode v = AdminJson.object();
            v.put("contact", c);
            v.put("since", now);
            lua.eval(OPT_OUT, RScript.ReturnType.INTEGER, keys, v.toString(), String.valueOf(now), hash);
        } else {
            lua.eval(FORGET, RScript.ReturnType.INTEGER, keys, hash);
        }
    }

    /**
     * Whether a patient's whole message is an opt-out keyword (true), an opt-in keyword (false), or neither.
     * Compared in {@link AdminSettings#keywordForm}: case, script width, surrounding punctuation and emoji do
     * not matter ("Stop.", "stop 🙏", "ＳＴＯＰ", "стоп!"); a sentence that merely contains the word does not count.
     */
    public Optional<Boolean> optKeyword(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String k = AdminSettings.keywordForm(text);
        if (optOutKeywords.contains(k)) {
            return Optional.of(true);
        }
        if (optInKeywords.contains(k)) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    /** Chats paused now, soonest end first. */
    public List<PausedChat> paused(String instance) {
        String index = Keys.chatPauses(checked(instance));
        List<PausedChat> out = new ArrayList<>();
        for (String hash : members(index, true)) {
            JsonNode v = AdminJson.parse(get(Keys.chatPause(instance, hash)));
            if (v != null) {
                out.add(new PausedChat(v.path("contact").asText(), v.path("paused_at").asLong(), v.path("until").asLong()));
            }
        }
        return out;
    }

    /** Contacts opted out, earliest first. */
    public List<OptedOut> optedOut(String instance) {
        String index = Keys.optOuts(checked(instance));
        List<OptedOut> out = new ArrayList<>();
        for (String hash : members(index, false)) {
            JsonNode v = AdminJson.parse(get(Keys.optOut(instance, hash)));
            if (v != null) {
                out.add(new OptedOut(v.path("contact").asText(), v.path("since").asLong()));
            }
        }
        return out;
    }

    private List<String> members(String index, boolean dropExpired) {
        var z = redis.<String>getScoredSortedSet(index, StringCodec.INSTANCE);
        if (dropExpired) {
            z.removeRangeByScore(Double.NEGATIVE_INFINITY, true, System.currentTimeMillis(), false);
        }
        return new ArrayList<>(z.readAll());
    }

    private boolean exists(String key) {
        return redis.getBucket(key, StringCodec.INSTANCE).isExists();
    }

    private String get(String key) {
        return redis.<String>getBucket(key, StringCodec.INSTANCE).get();
    }

    /** Instance names go into keys: only valid names (callers pass served instances). */
    private static String checked(String instance) {
        if (instance == null || !Settings.INSTANCE_NAME.matcher(instance).matches()) {
            throw new IllegalArgumentException("not a valid instance name");
        }
        return instance;
    }

    private static String contact(String contactId) {
        String c = ContactIds.normalise(contactId);
        if (c == null) {
            throw new IllegalArgumentException("not a contact id: expected phone digits or a WhatsApp JID");
        }
        return c;
    }
}
