package io.whatsappqueue.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * {@code POST /sandbox/inbound {"instance","from","text"}} (DESIGN §7): builds the messages.upsert Evolution
 * would send for a patient's text, for the sandbox route to post to the real webhook over HTTP, so the whole
 * pipeline (webhook → inbound stream → reply → send stream → sandbox Evolution) runs offline.
 */
public final class SandboxInbound {
    public static final String KEY_ID = "WaSandboxKeyId";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> instances;

    public SandboxInbound(List<String> instances) {
        this.instances = List.copyOf(instances);
    }

    /**
     * Route step: the request becomes the webhook body; a bad request throws {@link IllegalArgumentException}.
     * Reads: body (the sandbox request JSON). Sets: property WaSandboxKeyId; body (the webhook JSON, returned).
     */
    public String upsert(Exchange exchange) {
        String raw = exchange.getMessage().getBody(String.class);
        JsonNode req;
        try {
            req = JSON.readTree(raw == null ? "" : raw);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body must be JSON: {\"instance\",\"from\",\"text\"}");
        }
        if (req == null || !req.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object: {\"instance\",\"from\",\"text\"}");
        }
        String instance = req.path("instance").asText("");
        if (instance.isBlank()) {
            instance = instances.get(0);
        }
        String from = req.path("from").asText("");
        String digits = from.replaceAll("[+\\s()-]", "");
        String jid;
        if (digits.matches("[0-9]{6,20}")) {
            jid = digits + "@s.whatsapp.net";
        } else if (from.matches("[0-9]{6,24}@(s\\.whatsapp\\.net|lid)")) {
            jid = from;
        } else {
            throw new IllegalArgumentException("from must be a phone number in international format, e.g. +447700900123");
        }
        String text = req.path("text").asText("");
        if (text.isBlank()) {
            throw new IllegalArgumentException("text must not be empty");
        }
        String keyId = "SBX" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase();
        exchange.setProperty(KEY_ID, keyId);
        long now = Instant.now().getEpochSecond();

        ObjectNode body = JSON.createObjectNode();
        body.put("event", "messages.upsert");
        body.put("instance", instance);
        ObjectNode data = body.putObject("data");
        ObjectNode key = data.putObject("key");
        key.put("remoteJid", jid);
        key.put("fromMe", false);
        key.put("id", keyId);
        data.put("pushName", "Sandbox patient");
        data.put("status", "DELIVERY_ACK");
        data.putObject("message").put("conversation", text);
        data.put("messageType", "conversation");
        data.put("messageTimestamp", now);
        data.put("instanceId", "sandbox");
        data.put("source", "android");
        body.put("destination", "sandbox");
        body.put("date_time", Instant.ofEpochSecond(now).toString());
        body.put("sender", "sandbox@s.whatsapp.net");
        body.put("server_url", "sandbox");
        body.putNull("apikey");
        return body.toString();
    }

    /**
     * Route step after the webhook answered: its status and answer, and where the reply will show.
     * Reads: header CamelHttpResponseCode, body (the webhook's answer), property WaSandboxKeyId. Sets: body (the JSON
     * answer, returned).
     */
    public String answer(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String webhookBody = exchange.getMessage().getBody(String.class);
        ObjectNode res = JSON.createObjectNode();
        res.put("webhook_status", status);
        try {
            res.set("webhook", JSON.readTree(webhookBody == null || webhookBody.isBlank() ? "null" : webhookBody));
        } catch (JsonProcessingException e) {
            res.put("webhook", webhookBody);
        }
        res.put("key_id", exchange.getProperty(KEY_ID, String.class));
        res.put("reply", "GET /sandbox/outbox shows the answer once it is sent");
        return res.toString();
    }

    /**
     * Error handler step: a bad sandbox request.
     * Reads: property CamelExceptionCaught. Sets: header CamelHttpResponseCode (400); body (the JSON error,
     * returned).
     */
    public String badRequest(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ObjectNode o = JSON.createObjectNode();
        o.put("error", "invalid_request");
        o.put("message", t == null ? "invalid request" : t.getMessage());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
        return o.toString();
    }
}
