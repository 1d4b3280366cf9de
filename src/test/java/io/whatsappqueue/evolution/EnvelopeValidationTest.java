package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static io.whatsappqueue.evolution.Fixtures.parse;
import static io.whatsappqueue.evolution.Fixtures.parseTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The envelope rules: event, instance, data; instance allow-list; event name forms. */
class EnvelopeValidationTest {

    private static ObjectNode body() {
        return Fixtures.tree("01-text-conversation.json");
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void upperSnakeEventNamesMeanTheSameEvents() {
        ObjectNode upsert = body().put("event", "MESSAGES_UPSERT");
        assertEquals(WebhookDecision.Kind.QUEUE, parseTree(upsert).kind());
        ObjectNode connection = Fixtures.tree("28-connection-update-open.json").put("event", "Connection_Update");
        assertEquals(ConnectionState.OPEN, parseTree(connection).connectionState());
    }

    @Test
    void otherEventsAreIgnoredAfterTheInstanceIsChecked() {
        WebhookDecision ignored = parseTree(body().put("event", "CONTACTS_UPDATE"));
        assertEquals(IgnoreReason.EVENT_NOT_HANDLED, ignored.ignoreReason());
        assertEquals("contacts.update", ignored.event());
        WebhookDecision rejected = parseTree(body().put("event", "contacts.update").put("instance", "other"));
        assertEquals("unknown_instance", rejected.errorCode());
    }

    @Test
    void arrayDataIsAcceptedForEventsThatCarryLists() {
        ObjectNode body = body().put("event", "contacts.upsert");
        body.putArray("data").addObject().put("remoteJid", "447700900123@s.whatsapp.net");
        assertEquals(IgnoreReason.EVENT_NOT_HANDLED, parseTree(body).ignoreReason());
    }

    @Test
    void upsertWithArrayDataIsRejected() {
        ObjectNode body = body();
        body.putArray("data").add(body().get("data"));
        assertEquals(400, parseTree(body).httpStatus());
    }

    @Test
    void missingOrMistypedEnvelopeFieldsAreRejectedWith400() {
        assertEquals(400, parseTree(body().put("event", 1)).httpStatus());
        assertEquals(400, parseTree(body().put("event", "")).httpStatus());
        assertEquals(400, parseTree(body().put("instance", 1)).httpStatus());
        assertEquals(400, parseTree(body().putNull("data")).httpStatus());
        assertEquals(400, parseTree(body().put("data", "x")).httpStatus());
        ObjectNode noEvent = body();
        noEvent.remove("event");
        assertEquals("invalid_event", parseTree(noEvent).errorCode());
        ObjectNode noInstance = body();
        noInstance.remove("instance");
        assertEquals("invalid_event", parseTree(noInstance).errorCode());
    }

    @Test
    void instanceNameOutsideTheSafePatternIsRejectedWith422AndEscaped() {
        String hostile = "acme\r\nlevel=ERROR forged \"line\" \u202e\u00e9" + "x".repeat(500);
        WebhookDecision decision = parseTree(body().put("instance", hostile));
        assertEquals(422, decision.httpStatus());
        assertEquals("invalid_instance_name", decision.errorCode());
        assertFalse(decision.message().contains("\r") || decision.message().contains("\n"), decision.message());
        assertTrue(decision.message().chars().allMatch(c -> c >= 0x20 && c < 0x7f), decision.message());
        assertTrue(decision.message().contains("acme\\u000d\\u000alevel=ERROR forged \\\"line\\\" \\u202e\\u00e9"),
                decision.message());
        assertTrue(decision.message().length() < 250, decision.message());
        assertNull(decision.instance());
    }

    @Test
    void instanceNamesThatLookAlikeAreNotAllowed() {
        assertEquals("unknown_instance", parseTree(body().put("instance", "ACME-SUPPORT")).errorCode());
        assertEquals("invalid_instance_name", parseTree(body().put("instance", " acme-support")).errorCode());
        assertEquals("invalid_instance_name", parseTree(body().put("instance", "")).errorCode());
        assertEquals("invalid_instance_name", parseTree(body().put("instance", "acme:support")).errorCode());
    }

    @Test
    void duplicateKeysAreRejectedSoNoTwoReadersCanDisagree() {
        WebhookDecision decision = parse(utf8(
                "{\"event\":\"messages.upsert\",\"instance\":\"other\",\"instance\":\"acme-support\",\"data\":{}}"));
        assertEquals("invalid_json", decision.errorCode());
    }

    @Test
    void trailingContentAfterTheObjectIsRejected() {
        byte[] body = utf8(new String(Fixtures.bytes("01-text-conversation.json"), StandardCharsets.UTF_8) + " {}");
        assertEquals("invalid_json", parse(body).errorCode());
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] body = utf8("{\"event\":\"messages.upsert\",\"instance\":\"acme-support\",\"data\":{\"x\":\"__\"}}");
        body[body.length - 5] = (byte) 0xC3;
        body[body.length - 4] = (byte) 0x28;
        assertEquals("invalid_json", parse(body).errorCode());
    }

    @Test
    void connectionUpdateWithAnUnknownStateIsIgnored() {
        ObjectNode body = Fixtures.tree("28-connection-update-open.json");
        ((ObjectNode) body.get("data")).put("state", "exploded");
        assertEquals(IgnoreReason.UNKNOWN_CONNECTION_STATE, parseTree(body).ignoreReason());
        ((ObjectNode) body.get("data")).remove("state");
        assertEquals(IgnoreReason.UNKNOWN_CONNECTION_STATE, parseTree(body).ignoreReason());
    }

    @Test
    void connectionUpdateReadsEveryStateAndToleratesAnOddStatusReason() {
        ObjectNode body = Fixtures.tree("29-connection-update-close.json");
        ObjectNode data = (ObjectNode) body.get("data");
        data.put("state", "refused").put("statusReason", "428");
        assertEquals(ConnectionState.REFUSED, parseTree(body).connectionState());
        assertEquals(428, parseTree(body).statusReason());
        data.put("state", "connecting").put("statusReason", 1e300);
        assertEquals(ConnectionState.CONNECTING, parseTree(body).connectionState());
        assertNull(parseTree(body).statusReason());
    }

    @Test
    void connectionUpdateWithoutAnObjectDataIsRejected() {
        ObjectNode body = Fixtures.tree("28-connection-update-open.json");
        body.putArray("data");
        assertEquals(400, parseTree(body).httpStatus());
    }

    @Test
    void negativeWindowIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> new WebhookEventParser().parse(new byte[0], Set.of(), 0, -1));
    }
}
