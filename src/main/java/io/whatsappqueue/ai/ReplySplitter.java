package io.whatsappqueue.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a reply longer than {@code WA_MAX_REPLY_CHARS} into ordered parts a patient can read as
 * separate WhatsApp messages. Each cut is made at the last paragraph break that fits, else the last
 * line break, else the last sentence end, else the last space; only a word longer than the limit is
 * cut inside, and never between the two halves of a surrogate pair (an emoji stays whole).
 * Lengths are counted in UTF-16 chars, which is never less than what WhatsApp counts.
 */
public final class ReplySplitter {

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\R[ \\t]*\\R\\s*");
    private static final Pattern LINE_BREAK = Pattern.compile("\\R\\s*");
    /** A sentence ends with . ! ? … (or CJK forms), maybe a closing quote or bracket, then whitespace. */
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?…。！？]+[\"'”’)\\]]*(?=\\s)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * The parts of {@code text}, in order, each at most {@code maxChars} long, stripped of surrounding
     * whitespace and never empty. A text that fits is one part; a blank text is no part.
     *
     * @throws IllegalArgumentException if {@code maxChars} is below 2 (an emoji needs two chars)
     */
    public List<String> split(String text, int maxChars) {
        if (maxChars < 2) {
            throw new IllegalArgumentException("maxChars must be at least 2 so an emoji fits, was " + maxChars);
        }
        List<String> parts = new ArrayList<>();
        String rest = text == null ? "" : text.strip();
        while (rest.length() > maxChars) {
            int cut = cutPoint(rest, maxChars);
            parts.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        if (!rest.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    /** Where the first part ends: 0 < cut <= maxChars, and the text before it is not blank. */
    private static int cutPoint(String text, int maxChars) {
        int cut = lastBoundaryStart(PARAGRAPH_BREAK, text, maxChars);
        if (cut < 0) {
            cut = lastBoundaryStart(LINE_BREAK, text, maxChars);
        }
        if (cut < 0) {
            cut = lastSentenceEnd(text, maxChars);
        }
        if (cut < 0) {
            cut = lastBoundaryStart(WHITESPACE, text, maxChars);
        }
        if (cut < 0) {
            cut = maxChars;
            if (Character.isHighSurrogate(text.charAt(cut - 1)) && Character.isLowSurrogate(text.charAt(cut))) {
                cut--;
            }
        }
        return cut;
    }

    /** Start of the last separator that begins after the first char and within the limit, or -1. */
    private static int lastBoundaryStart(Pattern separator, String text, int maxChars) {
        Matcher matcher = separator.matcher(text).region(1, Math.min(text.length(), maxChars + 1));
        int last = -1;
        while (matcher.find()) {
            last = matcher.start();
        }
        return last;
    }

    /** End of the last sentence that fits within the limit, or -1. */
    private static int lastSentenceEnd(String text, int maxChars) {
        // One char of look-ahead room so a sentence ending exactly at the limit is still seen.
        Matcher matcher = SENTENCE_END.matcher(text).region(0, Math.min(text.length(), maxChars + 1));
        matcher.useTransparentBounds(false);
        int last = -1;
        while (matcher.find()) {
            if (matcher.end() <= maxChars) {
                last = matcher.end();
            }
        }
        return last;
    }
}
