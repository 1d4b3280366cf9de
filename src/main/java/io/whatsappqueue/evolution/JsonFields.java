package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.JsonNode;

/** Type-checked reads from a Jackson tree: a field of the wrong JSON type reads as absent, never as a coerced value. */
final class JsonFields {

    private JsonFields() {
    }

    /** The field's string value, or null when the parent is not an object or the field is missing or not a string. */
    static String string(JsonNode parent, String field) {
        JsonNode value = parent == null ? null : parent.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** The field when it is a JSON object, else null. */
    static JsonNode object(JsonNode parent, String field) {
        JsonNode value = parent == null ? null : parent.get(field);
        return value != null && value.isObject() ? value : null;
    }

    /** True when the field exists with a value other than JSON null. */
    static boolean present(JsonNode parent, String field) {
        JsonNode value = parent == null ? null : parent.get(field);
        return value != null && !value.isNull();
    }

    /** The string at the end of a path of object fields, or null when any step is missing, mistyped or blank. */
    static String nonBlankAt(JsonNode root, String... path) {
        JsonNode node = root;
        for (int i = 0; i < path.length - 1 && node != null; i++) {
            node = object(node, path[i]);
        }
        String value = string(node, path[path.length - 1]);
        return value == null || value.isBlank() ? null : value;
    }
}
