package io.whatsappqueue.admin;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON building and parsing shared by the admin answers. */
final class AdminJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminJson() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    /** The tree of {@code text}, or null when it is not JSON. */
    static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
