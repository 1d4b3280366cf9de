package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import static io.whatsappqueue.evolution.Fixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whatever arrives, the parser answers with a decision: hostile or broken bodies give 400 or IGNORE, never an
 * exception.
 */
class GarbageInputTest {

    private static final Pattern REPLY_TARGET = Pattern.compile("[0-9]{1,24}@(s\\.whatsapp\\.net|lid)");

    /** Raw JSON values of every type, including ones a tree cannot hold faithfully. */
    private static final List<String> WRONG_VALUES = List.of("\"x\"", "\"\"", "0", "-1", "3.5", "1e400",
            "123456789012345678901234567890", "true", "false", "null", "[]", "{}", "[\"x\"]", "{\"low\":1}",
            "\"\\u0000\\ud800\"");

    /** Fields whose breakage must stop a reply; anything else may be tolerated. */
    private static final Set<String> ESSENTIAL = Set.of("/event", "/instance", "/data", "/data/key",
            "/data/key/id", "/data/key/remoteJid", "/data/key/fromMe", "/data/message",
            "/data/message/conversation", "/data/messageTimestamp");

    /** Essential fields where any non-blank string is a legitimate value. */
    private static final Set<String> FREE_TEXT = Set.of("/data/key/id", "/data/message/conversation");

    private static void assertRejectedAs400(WebhookDecision decision, String what) {
        assertEquals(WebhookDecision.Kind.REJECT, decision.kind(), what);
        assertEquals(400, decision.httpStatus(), what);
        assertNotNull(decision.message(), what);
    }

    /** A decision the webhook can act on: a 400/422, or a sane one. */
    private static void assertActionable(WebhookDecision decision, String what) {
        assertNotNull(decision, what);
        switch (decision.kind()) {
            case REJECT -> assertTrue(decision.httpStatus() == 400 || decision.httpStatus() == 422, what);
            case IGNORE -> assertNotNull(decision.ignoreReason(), what);
            case CONNECTION -> assertNotNull(decision.connectionState(), what);
            case QUEUE -> {
                InboundMessage message = decision.inbound();
                assertTrue(!message.text().isBlank(), what);
                assertTrue(REPLY_TARGET.matcher(message.replyTo()).matches(), what);
                assertTrue(!message.messageKeyId().isBlank(), what);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "\"x\"", "null", "0", "true", "{", "}", "{}", "{\"event\":", "\ufeff{}",
            "[{\"event\":\"messages.upsert\",\"instance\":\"acme-support\",\"data\":{}}]"})
    void nonEnvelopeBodiesAreRejectedWith400(String body) {
        assertRejectedAs400(parse(body.getBytes(StandardCharsets.UTF_8)), body);
    }

    @Test
    void nullBodyIsRejectedWith400() {
        assertRejectedAs400(parse(null), "null body");
    }

    @Test
    void randomBytesAreRejectedWith400() {
        Random random = new Random(20251021);
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[random.nextInt(2048)];
            random.nextBytes(body);
            assertRejectedAs400(parse(body), "random body #" + i);
        }
    }

    @Test
    void corruptedFixturesNeverThrow() {
        Random random = new Random(42);
        List<String> names = List.of("01-text-conversation.json", "13-buttons-response.json", "19-lid-sender.json",
                "27-quoted-reply.json", "28-connection-update-open.json", "32-send-message-echo.json");
        for (String name : names) {
            byte[] original = Fixtures.bytes(name);
            for (int i = 0; i < 500; i++) {
                byte[] body = original.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
                assertActionable(parse(body), name + " corruption #" + i);
            }
        }
    }

    @Test
    void nestingTenThousandDeepIsRejectedWith400() {
        int depth = 10_000;
        assertRejectedAs400(parse(utf8("[".repeat(depth) + "]".repeat(depth))), "deep array");
        assertRejectedAs400(parse(utf8("{\"a\":".repeat(depth) + "1" + "}".repeat(depth))), "deep object");
        String deepMessage = "{\"event\":\"messages.upsert\",\"instance\":\"acme-support\",\"data\":{\"key\":"
                + "{\"remoteJid\":\"447700900123@s.whatsapp.net\",\"fromMe\":false,\"id\":\"ABCDEF\"},\"message\":"
                + "{\"ephemeralMessage\":{\"message\":".repeat(depth) + "{}" + "}}".repeat(depth) + "}}";
        assertRejectedAs400(parse(utf8(deepMessage)), "deeply wrapped message");
        assertRejectedAs400(parse(utf8("[".repeat(depth))), "unclosed deep array");
    }

    @Test
    void stringOfTwoMegabytesIsRejectedWith400() {
        ObjectNode body = Fixtures.tree("01-text-conversation.json");
        ((ObjectNode) body.get("data").get("message")).put("conversation", "a".repeat(2 * 1024 * 1024));
        WebhookDecision decision = parse(Fixtures.toBytes(body));
        assertRejectedAs400(decision, "2 MB text");
        assertEquals("invalid_json", decision.errorCode());
    }

    @Test
    void hugeNumbersAreNotAProblem() {
        ObjectNode body = Fixtures.tree("01-text-conversation.json");
        ObjectNode data = (ObjectNode) body.get("data");
        assertActionable(parse(Fixtures.withRawValue(body, data, "instanceId", "9".repeat(900))), "900 digits");
        assertActionable(parse(Fixtures.withRawValue(body, data, "instanceId", "1e999999999")), "huge exponent");
        assertRejectedAs400(parse(Fixtures.withRawValue(body, data, "instanceId", "9".repeat(5000))), "5000 digits");
    }

    /** Every field of these fixtures, in turn, replaced by every wrong value, and removed. */
    @ParameterizedTest
    @ValueSource(strings = {"01-text-conversation.json", "03-image-with-caption.json", "13-buttons-response.json",
            "19-lid-sender.json", "27-quoted-reply.json", "28-connection-update-open.json",
            "09-protocol-revoke.json"})
    void wrongTypesInEveryFieldGive400OrIgnoreNeverAnException(String name) {
        List<String> paths = new ArrayList<>();
        collectPaths(Fixtures.tree(name), "", paths);
        assertTrue(paths.size() > 10, "fixture has fields");
        for (String path : paths) {
            for (String value : WRONG_VALUES) {
                checkMutation(name, path, value);
            }
            checkMutation(name, path, null);
        }
    }

    private static void checkMutation(String name, String path, String rawValue) {
        ObjectNode body = Fixtures.tree(name);
        String what = name + " " + path + " := " + (rawValue == null ? "<removed>" : rawValue);
        int cut = path.lastIndexOf('/');
        JsonNode parent = cut == 0 ? body : body.at(path.substring(0, cut));
        String field = path.substring(cut + 1);
        if (rawValue != null && body.at(path).toString().equals(rawValue)) {
            return;
        }
        byte[] bytes;
        if (parent instanceof ObjectNode object) {
            if (rawValue == null) {
                object.remove(field);
                bytes = Fixtures.toBytes(body);
            } else {
                bytes = Fixtures.withRawValue(body, object, field, rawValue);
            }
        } else if (parent instanceof ArrayNode array) {
            if (rawValue == null) {
                array.remove(Integer.parseInt(field));
                bytes = Fixtures.toBytes(body);
            } else {
                array.set(Integer.parseInt(field), "@@raw-value@@");
                bytes = utf8(new String(Fixtures.toBytes(body), StandardCharsets.UTF_8)
                        .replace("\"@@raw-value@@\"", rawValue));
            }
        } else {
            fail("unexpected parent at " + what);
            return;
        }
        WebhookDecision decision;
        try {
            decision = parse(bytes);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e, e);
        }
        assertActionable(decision, what);
        // A missing timestamp legitimately means "not stale", and any non-blank string is a valid id or text.
        boolean timestampLeftOut = path.equals("/data/messageTimestamp")
                && (rawValue == null || rawValue.equals("null"));
        boolean stillText = FREE_TEXT.contains(path) && rawValue != null && rawValue.startsWith("\"")
                && !rawValue.equals("\"\"");
        if (ESSENTIAL.contains(path) && !timestampLeftOut && !stillText) {
            assertNotEquals(WebhookDecision.Kind.QUEUE, decision.kind(), what);
        }
    }

    private static void collectPaths(JsonNode node, String prefix, List<String> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(field -> {
                String path = prefix + "/" + field;
                out.add(path);
                collectPaths(node.get(field), path, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String path = prefix + "/" + i;
                out.add(path);
                collectPaths(node.get(i), path, out);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
