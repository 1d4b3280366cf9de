package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.whatsappqueue.evolution.Fixtures.ALLOWED;
import static io.whatsappqueue.evolution.Fixtures.MAPPER;
import static io.whatsappqueue.evolution.Fixtures.NOW;
import static io.whatsappqueue.evolution.Fixtures.parseTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which upserts create work: chat kinds, fromMe, freshness, timestamps and reply targets. */
class UpsertRulesTest {

    private static ObjectNode body() {
        return Fixtures.tree("01-text-conversation.json");
    }

    private static ObjectNode data(ObjectNode body) {
        return (ObjectNode) body.get("data");
    }

    private static ObjectNode key(ObjectNode body) {
        return (ObjectNode) data(body).get("key");
    }

    private static WebhookDecision parse(ObjectNode body, long maxAge) {
        return new WebhookEventParser().parse(Fixtures.toBytes(body), ALLOWED, NOW, maxAge);
    }

    private static WebhookDecision withRemoteJid(String jid) {
        ObjectNode body = body();
        key(body).put("remoteJid", jid);
        return parseTree(body);
    }

    @Test
    void timestampAsProtobufLongObjectIsRead() {
        ObjectNode body = body();
        data(body).set("messageTimestamp", MAPPER.createObjectNode()
                .put("low", 1761055392).put("high", 0).put("unsigned", false));
        assertEquals(1761055392L, parseTree(body).inbound().messageTimestamp());
    }

    @Test
    void protobufLongWithANegativeLowHalfIsReadAsUnsigned() {
        ObjectNode body = body();
        // 0x9000_0000 seconds, written by protobufjs as a signed 32-bit low half.
        data(body).set("messageTimestamp", MAPPER.createObjectNode()
                .put("low", (int) 0x9000_0000L).put("high", 0).put("unsigned", true));
        assertEquals(0x9000_0000L, parse(body, 0).inbound().messageTimestamp());
    }

    @Test
    void messageOlderThanTheWindowIsIgnoredAsStale() {
        ObjectNode body = body();
        data(body).put("messageTimestamp", NOW - 1801);
        WebhookDecision decision = parse(body, 1800);
        assertEquals(IgnoreReason.STALE, decision.ignoreReason());
        assertEquals("943470ECEEA169B03B997D8EE0A1E857", decision.messageKeyId());
    }

    @Test
    void messageExactlyAtTheWindowEdgeIsStillAnswered() {
        ObjectNode body = body();
        data(body).put("messageTimestamp", NOW - 1800);
        assertEquals(WebhookDecision.Kind.QUEUE, parse(body, 1800).kind());
    }

    @Test
    void zeroWindowDisablesTheAgeCheck() {
        ObjectNode body = body();
        data(body).put("messageTimestamp", 1_000_000_000L);
        assertEquals(WebhookDecision.Kind.QUEUE, parse(body, 0).kind());
    }

    @Test
    void missingTimestampIsNotStale() {
        ObjectNode body = body();
        data(body).remove("messageTimestamp");
        InboundMessage message = parse(body, 60).inbound();
        assertNull(message.messageTimestamp());
    }

    @Test
    void timestampInTheFutureIsNotStale() {
        ObjectNode body = body();
        data(body).put("messageTimestamp", NOW + 3600);
        assertEquals(WebhookDecision.Kind.QUEUE, parse(body, 60).kind());
    }

    @Test
    void timestampThatIsNotEpochSecondsIsRejected() {
        for (String bad : new String[] {"\"soon\"", "\"-5\"", "\"1761055392.5\"", "1761055392.5", "-1",
                "1e400", "123456789012345678901234567890", "true", "[1761055392]", "{\"low\":\"x\"}",
                "{\"low\":1,\"high\":-1,\"unsigned\":true}", "1761055392000"}) {
            ObjectNode body = body();
            WebhookDecision decision =
                    Fixtures.parse(Fixtures.withRawValue(body, data(body), "messageTimestamp", bad));
            assertEquals("invalid_event", decision.errorCode(), bad);
            assertEquals(400, decision.httpStatus(), bad);
        }
    }

    @Test
    void lidSenderWithoutAPhoneAlternativeIsAnsweredOnTheLid() {
        ObjectNode body = body();
        key(body).put("remoteJid", "168542907331862@lid").remove("remoteJidAlt");
        InboundMessage message = parseTree(body).inbound();
        assertEquals("168542907331862@lid", message.replyTo());
        assertEquals("168542907331862@lid", message.contactId());
    }

    @Test
    void lidSenderWithSenderPnOfEvolution230IsAnsweredOnThePhone() {
        ObjectNode body = body();
        key(body).put("remoteJid", "168542907331862@lid").put("senderPn", "447700900123@s.whatsapp.net")
                .remove("remoteJidAlt");
        assertEquals("447700900123@s.whatsapp.net", parseTree(body).inbound().replyTo());
    }

    @Test
    void lidAlternativeThatIsNotAPhoneJidIsNotUsed() {
        ObjectNode body = body();
        key(body).put("remoteJid", "168542907331862@lid").put("remoteJidAlt", "99999@lid");
        assertEquals("168542907331862@lid", parseTree(body).inbound().replyTo());
    }

    @Test
    void deviceSuffixIsDroppedFromTheReplyTarget() {
        assertEquals("447700900123@s.whatsapp.net",
                withRemoteJid("447700900123:12@s.whatsapp.net").inbound().replyTo());
    }

    @Test
    void nonPersonalChatsAreIgnoredByKind() {
        assertEquals(IgnoreReason.GROUP, withRemoteJid("447700900001-1598000000@g.us").ignoreReason());
        assertEquals(IgnoreReason.STATUS_BROADCAST, withRemoteJid("status@broadcast").ignoreReason());
        assertEquals(IgnoreReason.BROADCAST, withRemoteJid("1598000000@broadcast").ignoreReason());
        assertEquals(IgnoreReason.NEWSLETTER, withRemoteJid("120363025246125888@newsletter").ignoreReason());
        assertEquals(IgnoreReason.UNSUPPORTED_CHAT, withRemoteJid("alice@s.whatsapp.net").ignoreReason());
        assertEquals(IgnoreReason.UNSUPPORTED_CHAT, withRemoteJid("447700900123@c.us").ignoreReason());
        assertEquals(IgnoreReason.UNSUPPORTED_CHAT, withRemoteJid("447700900123@s.whatsapp.net\n").ignoreReason());
    }

    @Test
    void ownMessageInAGroupIsAGroupMessageNotATakeover() {
        ObjectNode body = Fixtures.tree("17-group-message.json");
        key(body).put("fromMe", true);
        WebhookDecision decision = parseTree(body);
        assertEquals(IgnoreReason.GROUP, decision.ignoreReason());
        assertNull(decision.contactId());
    }

    @Test
    void ownMessageToALidChatExposesThePhoneContact() {
        ObjectNode body = Fixtures.tree("19-lid-sender.json");
        key(body).put("fromMe", true);
        WebhookDecision decision = parseTree(body);
        assertEquals(IgnoreReason.FROM_ME, decision.ignoreReason());
        assertEquals("447700900123@s.whatsapp.net", decision.contactId());
        assertEquals("1DB119E7CDE57DDAB1146EAB55C156D5", decision.messageKeyId());
    }

    @Test
    void upsertWithoutAnObjectKeyIsRejected() {
        for (String key : new String[] {"\"943470EC\"", "null", "[]", "42"}) {
            ObjectNode body = body();
            assertEquals(400, Fixtures.parse(Fixtures.withRawValue(body, data(body), "key", key)).httpStatus(), key);
        }
        ObjectNode body = body();
        data(body).remove("key");
        assertEquals("invalid_event", parseTree(body).errorCode());
    }

    @Test
    void fromMeThatIsNotABooleanIsRejectedRatherThanGuessed() {
        ObjectNode body = body();
        key(body).put("fromMe", "yes");
        assertEquals(400, parseTree(body).httpStatus());
        key(body).remove("fromMe");
        assertEquals(400, parseTree(body).httpStatus());
    }

    @Test
    void keyIdAndRemoteJidMustBeNonEmptyStrings() {
        ObjectNode body = body();
        key(body).put("id", 943470);
        assertEquals(400, parseTree(body).httpStatus());
        body = body();
        key(body).put("id", " ");
        assertEquals(400, parseTree(body).httpStatus());
        body = body();
        key(body).put("id", "A".repeat(129));
        assertEquals(400, parseTree(body).httpStatus());
        body = body();
        key(body).putArray("remoteJid");
        assertEquals(400, parseTree(body).httpStatus());
    }

    @Test
    void pushNameOfTheWrongTypeReadsAsAbsent() {
        ObjectNode body = body();
        data(body).put("pushName", 7);
        assertNull(parseTree(body).inbound().pushName());
    }
}
