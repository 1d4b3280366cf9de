package io.whatsappqueue.console;

import io.whatsappqueue.send.OutboundMessages;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Console sessions, kept in Redis ({@link Keys#consoleSession}) with a TTL of WA_CONSOLE_SESSION_MINUTES from
 * login: every web process behind a load balancer sees the same sessions, a logout ends a session everywhere,
 * and a restart logs nobody out. The cookie holds a random 256-bit id; Redis holds only its SHA-256 and the
 * session's CSRF token (another 256 random bits), which every state-changing form must carry back.
 */
public final class ConsoleSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = OutboundMessages.json(); // the project's one mapper

    private final RedissonClient redis;
    private final long ttlMinutes;

    /** One logged-in operator: {@code id} is the cookie value, {@code csrf} the token forms must send. */
    public record Session(String id, String csrf) {
    }

    public ConsoleSessions(RedissonClient redis, long ttlMinutes) {
        this.redis = redis;
        this.ttlMinutes = ttlMinutes;
    }

    public long ttlMinutes() {
        return ttlMinutes;
    }

    /** A new session, stored with its TTL. */
    public Session open() {
        Session s = new Session(random(), random());
        ObjectNode v = JSON.createObjectNode();
        v.put("csrf", s.csrf());
        v.put("created", System.currentTimeMillis());
        bucket(s.id()).set(v.toString(), ttlMinutes, TimeUnit.MINUTES);
        return s;
    }

    /** The session of this cookie value, unless it ended (expired, logged out) or never was. */
    public Optional<Session> find(String id) {
        if (id == null || id.isBlank() || id.length() > 100) {
            return Optional.empty();
        }
        String v = bucket(id).get();
        if (v == null) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(v);
            return Optional.of(new Session(id, n.path("csrf").asText()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // not ours (written by hand): treat as no session, the operator logs in again
            return Optional.empty();
        }
    }

    public void close(String id) {
        bucket(id).delete();
    }

    private RBucket<String> bucket(String id) {
        return redis.getBucket(Keys.consoleSession(id), StringCodec.INSTANCE);
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
