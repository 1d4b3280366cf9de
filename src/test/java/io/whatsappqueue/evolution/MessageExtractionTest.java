package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.whatsappqueue.evolution.Fixtures.MAPPER;
import static io.whatsappqueue.evolution.Fixtures.parseTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Text extraction order and unwrapping of EVOLUTION_API §3.2 for shapes no fixture shows. */
class MessageExtractionTest {

    /** Fixture 01 with its {@code data.message} replaced. */
    private static WebhookDecision withMessage(String messageJson) {
        ObjectNode body = Fixtures.tree("01-text-conversation.json");
        ((ObjectNode) body.get("data")).set("message", json(messageJson));
        return parseTree(body);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static InboundMessage queued(String messageJson) {
        WebhookDecision decision = withMessage(messageJson);
        assertEquals(WebhookDecision.Kind.QUEUE, decision.kind(), decision::toString);
        return decision.inbound();
    }

    private static void ignored(IgnoreReason reason, String messageJson) {
        WebhookDecision decision = withMessage(messageJson);
        assertEquals(reason, decision.ignoreReason(), decision::toString);
    }

    @Test
    void extendedTextInsideAnEphemeralWrapperIsQueued() {
        InboundMessage message = queued("""
                {"ephemeralMessage":{"message":{"extendedTextMessage":{"text":"Are you open today?",
                  "contextInfo":{"expiration":604800}}}}}""");
        assertEquals("Are you open today?", message.text());
        assertNull(message.quoted(), "an expiration alone is not a quote");
    }

    @Test
    void conversationComesBeforeExtendedText() {
        assertEquals("first", queued("""
                {"conversation":"first","extendedTextMessage":{"text":"second"}}""").text());
    }

    @Test
    void blankConversationFallsThroughToTheNextSource() {
        InboundMessage message = queued("""
                {"conversation":"  \\n ","imageMessage":{"caption":"what is this?"}}""");
        assertEquals("what is this?", message.text());
        assertEquals("image", message.mediaType());
    }

    @Test
    void videoCaptionIsQueuedAsVideo() {
        assertEquals("video", queued("{\"videoMessage\":{\"caption\":\"look\"}}").mediaType());
    }

    @Test
    void listResponseTitleIsQueued() {
        assertEquals("Book a table", queued("""
                {"listResponseMessage":{"title":"Book a table","listType":"SINGLE_SELECT",
                  "singleSelectReply":{"selectedRowId":"row_book"},"description":"Reserve"}}""").text());
    }

    @Test
    void listResponseWithoutTitleFallsBackToTheSelectedRowId() {
        assertEquals("row_book", queued("""
                {"listResponseMessage":{"singleSelectReply":{"selectedRowId":"row_book"}}}""").text());
    }

    @Test
    void interactiveResponseBodyTextIsQueued() {
        assertEquals("Confirm booking", queued("""
                {"interactiveResponseMessage":{"body":{"text":"Confirm booking","format":"DEFAULT"},
                  "nativeFlowResponseMessage":{"name":"quick_reply","paramsJson":"{\\"id\\":\\"confirm\\"}"}}}""")
                .text());
    }

    @Test
    void speechToTextTranscriptIsQueuedWithoutItsAudioPrefix() {
        InboundMessage message = queued("""
                {"audioMessage":{"ptt":true,"seconds":4},"speechToText":"[audio] Can I bring my dog?"}""");
        assertEquals("Can I bring my dog?", message.text());
        assertEquals("audio", message.mediaType());
    }

    @Test
    void transcriptThatIsOnlyThePrefixIsNoText() {
        ignored(IgnoreReason.AUDIO, "{\"audioMessage\":{\"ptt\":true},\"speechToText\":\"[audio] \"}");
    }

    @Test
    void documentWithCaptionWrapperIsUnwrapped() {
        InboundMessage message = queued("""
                {"documentWithCaptionMessage":{"message":{"documentMessage":{"fileName":"menu.pdf",
                  "caption":"Is this the current menu?"}}}}""");
        assertEquals("Is this the current menu?", message.text());
        assertEquals("document", message.mediaType());
    }

    @Test
    void quoteInsideWrappedExtendedTextIsKept() {
        InboundMessage message = queued("""
                {"ephemeralMessage":{"message":{"extendedTextMessage":{"text":"yes please",
                  "contextInfo":{"stanzaId":"3EB0AAAABBBBCCCCDDDDEE","participant":"447700900001@s.whatsapp.net",
                    "quotedMessage":{"extendedTextMessage":{"text":"Shall I book 20:00?"}}}}}}}""");
        assertEquals("3EB0AAAABBBBCCCCDDDDEE", message.quoted().stanzaId());
        assertEquals("Shall I book 20:00?", message.quoted().text());
    }

    @Test
    void viewOnceInsideAnEphemeralWrapperIsNotAnswered() {
        ignored(IgnoreReason.VIEW_ONCE, """
                {"ephemeralMessage":{"message":{"viewOnceMessage":{"message":
                  {"imageMessage":{"caption":"secret"}}}}}}""");
    }

    @Test
    void viewOnceWrapperWithoutContentIsStillViewOnce() {
        ignored(IgnoreReason.VIEW_ONCE, "{\"viewOnceMessageV2Extension\":{}}");
    }

    @Test
    void textBehindFiveWrappersIsFoundButNotBehindSix() {
        String five = "{\"ephemeralMessage\":{\"message\":".repeat(5) + "{\"conversation\":\"deep\"}" + "}}".repeat(5);
        assertEquals("deep", queued(five).text());
        String six = "{\"ephemeralMessage\":{\"message\":".repeat(6) + "{\"conversation\":\"deep\"}" + "}}".repeat(6);
        ignored(IgnoreReason.NO_TEXT, six);
    }

    @Test
    void editWrapperIsAProtocolMessage() {
        ignored(IgnoreReason.PROTOCOL, """
                {"editedMessage":{"message":{"protocolMessage":{"type":"MESSAGE_EDIT",
                  "editedMessage":{"conversation":"changed"}}}}}""");
    }

    @Test
    void protocolMessageIsNotAnswered() {
        ignored(IgnoreReason.PROTOCOL, "{\"protocolMessage\":{\"type\":\"REVOKE\"}}");
    }

    @Test
    void reactionIsNotAnsweredEvenThoughItHasText() {
        ignored(IgnoreReason.REACTION, "{\"reactionMessage\":{\"text\":\"\\ud83d\\udc4d\",\"key\":{\"id\":\"X\"}}}");
    }

    @Test
    void whitespaceOnlyTextIsNoText() {
        ignored(IgnoreReason.NO_TEXT, "{\"conversation\":\"\\u2003 \\t\"}");
    }

    @Test
    void emptyOrNonObjectMessageIsNoText() {
        ignored(IgnoreReason.NO_TEXT, "{}");
        ignored(IgnoreReason.NO_TEXT, "[\"conversation\"]");
        ignored(IgnoreReason.NO_TEXT, "\"hello\"");
        ignored(IgnoreReason.NO_TEXT, "null");
    }

    @Test
    void textOfTheWrongTypeIsNoText() {
        ignored(IgnoreReason.NO_TEXT, "{\"conversation\":42,\"extendedTextMessage\":{\"text\":[\"a\"]}}");
    }

    @Test
    void locationAndPollAreNoText() {
        ignored(IgnoreReason.NO_TEXT, "{\"locationMessage\":{\"degreesLatitude\":51.5,\"degreesLongitude\":-0.12}}");
        ignored(IgnoreReason.NO_TEXT, "{\"placeholderMessage\":{\"type\":\"MASK_LINKED_DEVICES\"}}");
    }

    @Test
    void textIsKeptExactlyIncludingBidiControlsAndNewlines() {
        String text = "  \u202eabc\u202c\n\u05e9\u05dc\u05d5\u05dd  ";
        ObjectNode message = MAPPER.createObjectNode().put("conversation", text);
        ObjectNode body = Fixtures.tree("01-text-conversation.json");
        ((ObjectNode) body.get("data")).set("message", message);
        assertEquals(text, parseTree(body).inbound().text());
    }
}
