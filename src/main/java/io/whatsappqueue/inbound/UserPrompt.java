package io.whatsappqueue.inbound;

import java.util.List;

/**
 * The user message given to the model: the patient's text unchanged, with what the model cannot see said
 * plainly first (a photo or document it was the caption of, the message the patient replied to). A burst of
 * messages (WA_DEBOUNCE_MS) is one user message: each message so, in the order sent, one per line.
 */
final class UserPrompt {
    private static final int QUOTE_MAX = 500;

    private UserPrompt() {
    }

    static String of(List<InboundEntry> burst) {
        return String.join("\n", burst.stream().map(UserPrompt::of).toList());
    }

    static String of(InboundEntry e) {
        StringBuilder prefix = new StringBuilder();
        if (e.mediaType() != null) {
            prefix.append("[The patient sent ").append(article(e.mediaType())).append(' ').append(e.mediaType())
                    .append(" you cannot see, with this text.]\n");
        }
        if (e.quotedText() != null) {
            String q = e.quotedText();
            if (q.length() > QUOTE_MAX) {
                int cut = Character.isHighSurrogate(q.charAt(QUOTE_MAX - 1)) ? QUOTE_MAX - 1 : QUOTE_MAX;
                q = q.substring(0, cut) + "…";
            }
            prefix.append("[The patient is replying to this earlier message: \"").append(q).append("\"]\n");
        }
        return prefix.length() == 0 ? e.text() : prefix + e.text();
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }
}
