package io.whatsappqueue.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of every admin and API error answer (DESIGN §5, §9): {@code {"error":"<code>","message":"<sentence>"}}.
 * The REST DSL names this type as the response model of each error code, so GET /openapi.json shows its schema.
 */
public record ErrorAnswer(String error, String message) {
    /** The answer as JSON text. */
    public String json() {
        ObjectNode body = AdminJson.object();
        body.put("error", error);
        body.put("message", message);
        return body.toString();
    }
}
