package io.whatsappqueue.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.redis.Keys;
import org.redisson.api.RList;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The sandbox's stand-in for Evolution (DESIGN §7): answers sendText like Evolution 2.3 does and keeps what
 * was "sent" in a capped Redis list, so a web and a worker process see the same outbox.
 */
public final class SandboxEvolution {
    private static final int OUTBOX_SIZE = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedissonClient redis;

    public SandboxEvolution(RedissonClient redis) {
        this.redis = redis;
    }

    /**
     * Body of POST /sandbox/evolution/message/sendText/{instance}; returns Evolution's 201 body.
     * Reads: its arguments (header instance, body). Sets: body (returned).
     */
    public String sendText(String instance, String body) throws java.io.IOException {
        JsonNode req = JSON.readTree(body == null ? "{}" : body);
        String id = "3EB0" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
        ObjectNode sent = JSON.createObjectNode();
        sent.put("instance", instance);
        sent.put("to", req.path("number").asText(""));
        sent.put("text", req.path("text").asText(""));
        sent.put("id", id);
        sent.put("sent_at", Instant.now().toString());
        RList<String> outbox = outbox();
        outbox.add(0, sent.toString());
        outbox.trim(0, OUTBOX_SIZE - 1);

        ObjectNode res = JSON.createObjectNode();
        ObjectNode key = res.putObject("key");
        key.put("remoteJid", jid(req.path("number").asText("")));
        key.put("fromMe", true);
        key.put("id", id);
        res.put("status", "PENDING");
        res.putObject("message").put("conversation", req.path("text").asText(""));
        res.put("messageType", "conversation");
        res.put("messageTimestamp", Instant.now().getEpochSecond());
        res.put("source", "web");
        return res.toString();
    }

    /**
     * Body of GET /sandbox/evolution/instance/connectionState/{instance}.
     * Reads: its argument (header instance). Sets: body (returned).
     */
    public String connectionState(String instance) {
        ObjectNode res = JSON.createObjectNode();
        ObjectNode i = res.putObject("instance");
        i.put("instanceName", instance);
        i.put("state", "open");
        return res.toString();
    }

    /**
     * Body of GET /sandbox/outbox: newest first.
     * Reads: nothing. Sets: body (returned).
     */
    public String outboxJson() throws java.io.IOException {
        ArrayNode arr = JSON.createArrayNode();
        List<String> items = outbox().readAll();
        for (String s : items) {
            arr.add(JSON.readTree(s));
        }
        ObjectNode res = JSON.createObjectNode();
        res.put("count", arr.size());
        res.set("sent", arr);
        return res.toString();
    }

    private RList<String> outbox() {
        return redis.getList(Keys.sandboxOutbox(), StringCodec.INSTANCE);
    }

    private static String jid(String number) {
        return number.contains("@") ? number : number.replaceAll("[^0-9]", "") + "@s.whatsapp.net";
    }
}
