package io.whatsappqueue.inbound;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.ai.ChatTurn;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.LuaScripts;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The recent conversation of one chat, for the AI: the last WA_HISTORY_TURNS exchanges (patient message and
 * our reply), in {@code wa:<inst>:chat:<sha256(contactId)>:history} with a TTL of WA_HISTORY_TTL_S from the
 * last message. Keyed by the stable contact id, so a patient keeps the memory whether Evolution addresses
 * them by phone JID or by LID.
 */
public final class ChatMemory {
    private static final String APPEND = LuaScripts.plain("chat/history.lua");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedissonClient redis;
    private final LuaScripts lua;
    private final int turns;
    private final long ttlSeconds;

    public ChatMemory(RedissonClient redis, int turns, long ttlSeconds) {
        this.redis = redis;
        this.lua = new LuaScripts(redis);
        this.turns = turns;
        this.ttlSeconds = ttlSeconds;
    }

    /** Oldest first. Unreadable items (written by another version) are skipped. */
    public List<ChatTurn> recent(String instance, String contactId) {
        if (turns == 0) {
            return List.of();
        }
        List<String> items = redis.<String>getList(Keys.chatHistory(instance, contactId), StringCodec.INSTANCE)
                .range(-2 * turns, -1);
        List<ChatTurn> out = new ArrayList<>(items.size());
        for (String item : items) {
            try {
                JsonNode o = JSON.readTree(item);
                String text = o.path("text").asText("");
                if (text.isEmpty()) {
                    continue;
                }
                out.add("assistant".equals(o.path("role").asText()) ? ChatTurn.assistant(text) : ChatTurn.user(text));
            } catch (JsonProcessingException e) {
                // an item this version cannot read is left out of the prompt rather than failing the reply
                continue;
            }
        }
        return out;
    }

    /** Records one exchange, once per inbound message id. */
    public void append(String instance, String contactId, String inboundKeyId, String userText, String replyText) {
        if (turns == 0) {
            return;
        }
        lua.eval(APPEND, RScript.ReturnType.INTEGER, List.of(Keys.chatHistory(instance, contactId)),
                inboundKeyId, turn(inboundKeyId, "user", userText), turn(inboundKeyId, "assistant", replyText),
                String.valueOf(2 * turns), String.valueOf(ttlSeconds));
    }

    private static String turn(String id, String role, String text) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("role", role);
        o.put("text", text);
        o.put("at", System.currentTimeMillis() / 1000);
        return o.toString();
    }
}
