package io.whatsappqueue.evolution;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.whatsappqueue.evolution.Fixtures.ALLOWED;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Evolution's webhook base64 option puts whole media files inline ({@code message.base64}, megabytes, beside the
 * caption). The parser skips every such field unread, wherever it is, and answers the caption; text fields keep
 * their parser limits.
 */
class InlineMediaTest {
    private static final String MEDIA = "Qzu3".repeat(750_000);   // 3 MB of base64, beyond the 1M-char string limit
    private final WebhookEventParser parser = new WebhookEventParser();

    @Test
    void captionBesideInlineMediaIsQueuedForEveryMediaKind() {
        for (String fixture : new String[] {"03-image-with-caption.json", "07-document.json"}) {
            ObjectNode event = Fixtures.tree(fixture);
            ObjectNode message = (ObjectNode) event.path("data").path("message");
            message.fields().forEachRemaining(f -> {
                if (f.getValue().isObject() && f.getKey().endsWith("Message")) {
                    ((ObjectNode) f.getValue()).put("caption", "Is this normal?");
                }
            });
            message.put("base64", MEDIA);
            WebhookDecision d = parse(event);
            assertEquals(WebhookDecision.Kind.QUEUE, d.kind(), fixture + ": " + d);
            assertEquals("Is this normal?", d.inbound().text());
        }
    }

    @Test
    void inlineMediaIsSkippedAtAnyDepthAndInAnyEvent() {
        ObjectNode event = Fixtures.tree("01-text-conversation.json");
        ((ObjectNode) event.path("data")).putObject("extra").putObject("nested").put("base64", MEDIA);
        assertEquals(WebhookDecision.Kind.QUEUE, parse(event).kind());
        ObjectNode qr = Fixtures.tree("30-qrcode-updated.json");
        ((ObjectNode) qr.path("data").path("qrcode")).put("base64", MEDIA);
        assertEquals(WebhookDecision.Kind.IGNORE, parse(qr).kind());
    }

    @Test
    void aHugeTextIsStillRefusedByTheParserLimits() {
        ObjectNode event = Fixtures.tree("01-text-conversation.json");
        ((ObjectNode) event.path("data").path("message")).put("conversation", MEDIA);
        WebhookDecision d = parse(event);
        assertEquals(RejectReason.INVALID_JSON, d.rejectReason(), d.toString());
    }

    private WebhookDecision parse(ObjectNode event) {
        return parser.parse(event.toString().getBytes(StandardCharsets.UTF_8), ALLOWED, Fixtures.NOW, 0);
    }
}
