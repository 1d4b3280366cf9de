package io.whatsappqueue.ai;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplySplitterTest {

    private final ReplySplitter splitter = new ReplySplitter();

    @Test
    void textWithinTheLimitIsOnePart() {
        assertEquals(List.of("Hello there."), splitter.split("Hello there.", 4000));
    }

    @Test
    void textOfExactlyTheLimitIsOnePartAndOneMoreCharSplits() {
        String exact = "a".repeat(10);

        assertEquals(List.of(exact), splitter.split(exact, 10));
        assertEquals(List.of("Ten chars.", "X"), splitter.split("Ten chars. X", 10));
    }

    @Test
    void paragraphBoundaryIsPreferredOverSentences() {
        String text = "First paragraph. It has two sentences.\n\nSecond paragraph. Also two sentences.";

        assertEquals(List.of("First paragraph. It has two sentences.", "Second paragraph. Also two sentences."),
                splitter.split(text, 60));
    }

    @Test
    void paragraphsThatFitTogetherStayTogether() {
        String text = "One.\n\nTwo.\n\nThree is a longer paragraph.";

        assertEquals(List.of("One.\n\nTwo.", "Three is a longer paragraph."), splitter.split(text, 30));
    }

    @Test
    void longParagraphIsSplitAtSentenceEnds() {
        String text = "We open at eight. We close at six! Are you coming today? See you soon.";

        List<String> parts = splitter.split(text, 40);

        assertEquals(List.of("We open at eight. We close at six!", "Are you coming today? See you soon."), parts);
    }

    @Test
    void sentenceLongerThanTheLimitIsSplitAtSpaces() {
        List<String> parts = splitter.split("one two three four five six seven", 10);

        assertEquals(List.of("one two", "three four", "five six", "seven"), parts);
    }

    @Test
    void wordLongerThanTheLimitIsCutInside() {
        assertEquals(List.of("aaaaaaaaaa", "aaaaaaaaaa", "aaaaa"), splitter.split("a".repeat(25), 10));
    }

    @Test
    void emojiSurrogatePairsAreNeverCut() {
        String emoji = "😀".repeat(10);

        List<String> parts = splitter.split(emoji, 5);

        assertEquals(String.join("", parts), emoji);
        for (String part : parts) {
            assertTrue(part.length() <= 5);
            assertFalse(Character.isLowSurrogate(part.charAt(0)), part);
            assertFalse(Character.isHighSurrogate(part.charAt(part.length() - 1)), part);
        }
        assertEquals(List.of("😀😀", "😀😀", "😀😀", "😀😀", "😀😀"), parts);
    }

    @Test
    void partsKeepOrderAndAreNeverEmptyOrTooLong() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("Sentence number ").append(i).append(i % 7 == 0 ? ".\n\n" : i % 3 == 0 ? "!\n" : ". ");
        }

        List<String> parts = splitter.split(text.toString(), 97);

        assertTrue(parts.size() > 1);
        for (String part : parts) {
            assertFalse(part.isBlank());
            assertTrue(part.length() <= 97, part);
        }
        assertEquals(text.toString().replaceAll("\\s+", ""), String.join("", parts).replaceAll("\\s+", ""));
    }

    @Test
    void blankTextHasNoParts() {
        assertEquals(List.of(), splitter.split("  \n ", 10));
        assertEquals(List.of(), splitter.split(null, 10));
    }

    @Test
    void limitTooSmallForAnEmojiIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> splitter.split("hi", 1));
    }
}
