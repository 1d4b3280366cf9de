package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

/** The shared fixture set and the test configuration INDEX.md assumes. */
final class Fixtures {

    static final String INSTANCE = "acme-support";
    static final Set<String> ALLOWED = Set.of(INSTANCE);
    /** INDEX.md: clock frozen at 2025-10-21T14:20:00Z, freshness window of 30 minutes. */
    static final long NOW = Instant.parse("2025-10-21T14:20:00Z").getEpochSecond();
    static final long WINDOW = 1800;

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    static byte[] bytes(String name) {
        String resource = "/fixtures/evolution/" + name;
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture as an editable tree, for variations no fixture shows. */
    static ObjectNode tree(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] toBytes(Object tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body with {@code parent.field} set to raw JSON text, for values a tree cannot hold faithfully
     * ({@code 1e400}, 30-digit integers, duplicate keys).
     */
    static byte[] withRawValue(ObjectNode body, ObjectNode parent, String field, String rawJson) {
        String placeholder = "@@raw-value@@";
        parent.put(field, placeholder);
        String json = new String(toBytes(body), StandardCharsets.UTF_8);
        return json.replace("\"" + placeholder + "\"", rawJson).getBytes(StandardCharsets.UTF_8);
    }

    static WebhookDecision parse(byte[] body) {
        return new WebhookEventParser().parse(body, ALLOWED, NOW, WINDOW);
    }

    static WebhookDecision parseFixture(String name) {
        return parse(bytes(name));
    }

    static WebhookDecision parseTree(Object tree) {
        return parse(toBytes(tree));
    }
}
