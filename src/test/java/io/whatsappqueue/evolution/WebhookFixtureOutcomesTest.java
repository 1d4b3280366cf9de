package io.whatsappqueue.evolution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.whatsappqueue.evolution.Fixtures.parseFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fixture gets the outcome fixtures/evolution/INDEX.md lists for it. */
class WebhookFixtureOutcomesTest {

    private static final String ALICE = "447700900123@s.whatsapp.net";
    private static final String BOB = "12025550143@s.whatsapp.net";

    /** File → expected kind plus ignore reason, reject code or connection state. */
    private static final Map<String, String> INDEX = new TreeMap<>(Map.ofEntries(
            Map.entry("01-text-conversation.json", "QUEUE"),
            Map.entry("02-text-extended.json", "QUEUE"),
            Map.entry("03-image-with-caption.json", "QUEUE"),
            Map.entry("05-audio-voice-note.json", "IGNORE audio"),
            Map.entry("06-sticker.json", "IGNORE sticker"),
            Map.entry("07-document.json", "IGNORE no_text"),
            Map.entry("08-reaction.json", "IGNORE reaction"),
            Map.entry("09-protocol-revoke.json", "IGNORE event_not_handled"),
            Map.entry("10-edited-message.json", "IGNORE event_not_handled"),
            Map.entry("12-viewonce-wrapped-image.json", "IGNORE view_once"),
            Map.entry("13-buttons-response.json", "QUEUE"),
            Map.entry("15-template-button-reply.json", "QUEUE"),
            Map.entry("16-fromme-echo.json", "IGNORE from_me"),
            Map.entry("17-group-message.json", "IGNORE group"),
            Map.entry("18-status-broadcast.json", "IGNORE status_broadcast"),
            Map.entry("19-lid-sender.json", "QUEUE"),
            Map.entry("21-timestamp-as-string.json", "QUEUE"),
            Map.entry("23-emoji-text.json", "QUEUE"),
            Map.entry("25-cjk-text.json", "QUEUE"),
            Map.entry("26-long-text-4000.json", "QUEUE"),
            Map.entry("27-quoted-reply.json", "QUEUE"),
            Map.entry("28-connection-update-open.json", "CONNECTION open"),
            Map.entry("29-connection-update-close.json", "CONNECTION close"),
            Map.entry("30-qrcode-updated.json", "IGNORE event_not_handled"),
            Map.entry("31-messages-update-delivery-ack.json", "IGNORE event_not_handled"),
            Map.entry("32-send-message-echo.json", "IGNORE event_not_handled"),
            // The parser cannot know it is a redelivery: the caller's (instance, key.id) dedupe ignores it.
            Map.entry("33-duplicate-of-01.json", "QUEUE"),
            Map.entry("34-unknown-instance.json", "REJECT 422 unknown_instance"),
            Map.entry("36-missing-data.json", "REJECT 400 invalid_event"),
            Map.entry("38-invalid-json.txt", "REJECT 400 invalid_json")));

    static Stream<Arguments> fixtures() {
        return INDEX.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("fixtures")
    void everyFixtureGetsTheOutcomeTheIndexLists(String file, String expected) {
        WebhookDecision decision = parseFixture(file);
        String actual = switch (decision.kind()) {
            case QUEUE -> "QUEUE";
            case IGNORE -> "IGNORE " + decision.reason();
            case CONNECTION -> "CONNECTION " + decision.connectionState().wireName();
            case REJECT -> "REJECT " + decision.httpStatus() + " " + decision.errorCode();
        };
        assertEquals(expected, actual, decision::toString);
    }

    @Test
    void theOutcomeTableCoversEveryFixtureFile() throws IOException, URISyntaxException {
        Path dir = Path.of(Fixtures.class.getResource("/fixtures/evolution/INDEX.md").toURI()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            TreeSet<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("INDEX.md"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(names, INDEX.keySet());
        }
    }

    @Test
    void plainConversationIsQueuedForThePhoneSenderWithItsDedupeIdentity() {
        InboundMessage message = parseFixture("01-text-conversation.json").inbound();
        assertEquals("acme-support", message.instance());
        assertEquals("943470ECEEA169B03B997D8EE0A1E857", message.messageKeyId());
        assertEquals("Hi! What are your opening hours on Saturday?", message.text());
        assertEquals(ALICE, message.replyTo());
        assertEquals(ALICE, message.contactId());
        assertEquals(ALICE, message.remoteJid());
        assertEquals(1761055392L, message.messageTimestamp());
        assertEquals("Alice Mercer", message.pushName());
        assertFalse(message.hasMedia());
        assertNull(message.quoted());
    }

    @Test
    void topLevelExtendedTextOfOlderVersionsIsQueued() {
        InboundMessage message = parseFixture("02-text-extended.json").inbound();
        assertEquals("Do you deliver to https://maps.example.org/pin/8812 ? Thanks", message.text());
        assertEquals(BOB, message.replyTo());
        assertNull(message.quoted());
    }

    @Test
    void imageCaptionIsQueuedAndFlaggedAsImage() {
        InboundMessage message = parseFixture("03-image-with-caption.json").inbound();
        assertEquals("Is this dish vegetarian?", message.text());
        assertTrue(message.hasMedia());
        assertEquals("image", message.mediaType());
        assertEquals(ALICE, message.replyTo());
    }

    @Test
    void voiceNoteWithoutTranscriptIsIgnoredButKeepsTheReplyTargetForACannedAnswer() {
        WebhookDecision decision = parseFixture("05-audio-voice-note.json");
        assertEquals(IgnoreReason.AUDIO, decision.ignoreReason());
        assertEquals(BOB, decision.replyTo());
        assertEquals("3A8D1D9E12E0200BA691", decision.messageKeyId());
    }

    @Test
    void revokeExposesTheRevokedKeyIdSoAQueuedReplyCanBeCancelled() {
        WebhookDecision decision = parseFixture("09-protocol-revoke.json");
        assertEquals("messages.edited", decision.event());
        assertEquals("0EA6325A1EF3DD0F541480D1531BAC4A", decision.messageKeyId());
        assertEquals(Boolean.TRUE, decision.fromMe());
    }

    @Test
    void buttonReplyIsQueuedWithTheQuotedButtonsMessage() {
        InboundMessage message = parseFixture("13-buttons-response.json").inbound();
        assertEquals("Opening hours", message.text());
        assertEquals(ALICE, message.replyTo());
        assertEquals("3EB0969D8619A595FB2B7B", message.quoted().stanzaId());
        assertNull(message.quoted().text());
    }

    @Test
    void templateButtonReplyIsQueuedWithItsDisplayText() {
        assertEquals("Talk to a person", parseFixture("15-template-button-reply.json").inbound().text());
    }

    @Test
    void staffMessageTypedOnThePhoneIsIgnoredAndExposesTheChatForHumanTakeover() {
        WebhookDecision decision = parseFixture("16-fromme-echo.json");
        assertEquals(WebhookDecision.Kind.IGNORE, decision.kind());
        assertEquals("from_me", decision.reason());
        assertEquals("acme-support", decision.instance());
        assertEquals("3A4BA31B04956B25F99E", decision.messageKeyId());
        assertEquals(Boolean.TRUE, decision.fromMe());
        assertEquals(ALICE, decision.contactId());
    }

    @Test
    void groupMessageIsIgnoredWithoutAContact() {
        WebhookDecision decision = parseFixture("17-group-message.json");
        assertEquals(IgnoreReason.GROUP, decision.ignoreReason());
        assertNull(decision.contactId());
        assertNull(decision.replyTo());
    }

    @Test
    void lidSenderIsAnsweredOnItsPhoneJidWithTheSameContactAsThePhoneSender() {
        InboundMessage lid = parseFixture("19-lid-sender.json").inbound();
        InboundMessage phone = parseFixture("01-text-conversation.json").inbound();
        assertEquals("Hello again, is the kitchen still open?", lid.text());
        assertEquals("168542907331862@lid", lid.remoteJid());
        assertEquals(ALICE, lid.replyTo());
        assertEquals(phone.contactId(), lid.contactId());
    }

    @Test
    void timestampSentAsDecimalStringIsRead() {
        InboundMessage message = parseFixture("21-timestamp-as-string.json").inbound();
        assertEquals(1761055992L, message.messageTimestamp());
        assertEquals("Is parking available nearby?", message.text());
    }

    @Test
    void emojiTextIsQueuedExactlyWithoutSplittingSurrogates() {
        InboundMessage message = parseFixture("23-emoji-text.json").inbound();
        String expected = "Table for 4 tonight? \ud83c\udf55\ud83c\udf89 "
                + "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66 thanks "
                + "\ud83d\ude4f\ud83c\udffd \u2764\ufe0f \ud83c\uddec\ud83c\udde7";
        assertEquals(expected, message.text());
        assertEquals(47, message.text().codePointCount(0, message.text().length()));
        assertEquals(57, message.text().length());
        assertEquals("Alice \ud83c\udf38", message.pushName());
        assertEquals(ALICE, message.replyTo());
    }

    @Test
    void cjkTextWithASupplementaryCharacterIsQueuedExactly() {
        InboundMessage message = parseFixture("25-cjk-text.json").inbound();
        assertEquals("\u4f60\u597d\uff0c\u8bf7\u95ee\u5468\u516d\u51e0\u70b9\u5f00\u95e8\uff1f"
                + "\u4e88\u7d04\u3067\u304d\u307e\u3059\u304b\uff1f\uac10\uc0ac\ud569\ub2c8\ub2e4 \ud842\udfb7",
                message.text());
        assertEquals("\u674e\u660e", message.pushName());
    }

    @Test
    void longTextIsQueuedWhole() {
        InboundMessage message = parseFixture("26-long-text-4000.json").inbound();
        assertEquals(4000, message.text().length());
        assertTrue(message.text().endsWith(" END"));
        assertEquals(BOB, message.replyTo());
    }

    @Test
    void quotedReplyCarriesTheQuotedMessageAndItsId() {
        InboundMessage message = parseFixture("27-quoted-reply.json").inbound();
        assertEquals("20:00 works, thank you!", message.text());
        QuotedContext quoted = message.quoted();
        assertNotNull(quoted);
        assertEquals("3EB051395FED555F542542", quoted.stanzaId());
        assertEquals("447700900001@s.whatsapp.net", quoted.participant());
        assertEquals("We have a table at 20:00 or 21:00. Which do you prefer?", quoted.text());
    }

    @Test
    void connectionOpenAndDefinitiveCloseReachTheSendGate() {
        WebhookDecision open = parseFixture("28-connection-update-open.json");
        assertEquals(ConnectionState.OPEN, open.connectionState());
        assertEquals(200, open.statusReason());
        assertEquals("acme-support", open.instance());
        WebhookDecision close = parseFixture("29-connection-update-close.json");
        assertEquals(ConnectionState.CLOSE, close.connectionState());
        assertEquals(401, close.statusReason());
    }

    @Test
    void ourOwnSendEchoIsIgnoredAndExposesTheSentKeyId() {
        WebhookDecision decision = parseFixture("32-send-message-echo.json");
        assertEquals("send.message", decision.event());
        assertEquals("3EB0CA292428AFC78DD81E", decision.messageKeyId());
        assertEquals(Boolean.TRUE, decision.fromMe());
    }

    @Test
    void redeliveryCarriesTheSameDedupeIdentityAsTheOriginal() {
        InboundMessage original = parseFixture("01-text-conversation.json").inbound();
        InboundMessage redelivery = parseFixture("33-duplicate-of-01.json").inbound();
        assertEquals(original.instance(), redelivery.instance());
        assertEquals(original.messageKeyId(), redelivery.messageKeyId());
    }

    @Test
    void unknownInstanceIsRejectedWithItsNameEscapedInTheMessage() {
        WebhookDecision decision = parseFixture("34-unknown-instance.json");
        assertEquals(422, decision.httpStatus());
        assertEquals("unknown_instance", decision.errorCode());
        assertTrue(decision.message().contains("\"ghost-instance\""), decision.message());
        assertNull(decision.instance());
    }

    @Test
    void envelopeWithoutDataIsRejectedAsMalformed() {
        WebhookDecision decision = parseFixture("36-missing-data.json");
        assertEquals(400, decision.httpStatus());
        assertEquals("invalid_event", decision.errorCode());
    }

    @Test
    void truncatedJsonIsRejectedWith400NotAServerError() {
        WebhookDecision decision = parseFixture("38-invalid-json.txt");
        assertEquals(400, decision.httpStatus());
        assertEquals("invalid_json", decision.errorCode());
        assertFalse(decision.message().contains("Alice"), decision.message());
    }
}
