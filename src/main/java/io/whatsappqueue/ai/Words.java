package io.whatsappqueue.ai;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns patient text and knowledge phrases into comparable word lists. Both sides go through the same
 * steps (lower case, accents removed, punctuation and emoji dropped, a plural "s" trimmed), so
 * "Olá!", "ola" and "OLA" compare equal and "prices" matches "price".
 */
final class Words {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /**
     * Words that carry no topic; ignored when comparing a question with an FAQ entry or a service name.
     * "clinic" is here because every question is about the clinic, so sharing it proves nothing.
     */
    private static final Set<String> STOPWORDS = set(
            "a", "an", "the", "is", "are", "am", "was", "be", "do", "does", "did", "can", "could", "would",
            "will", "i", "me", "my", "we", "our", "you", "your", "u", "it", "its", "this", "that", "there",
            "what", "how", "when", "which", "who", "of", "for", "to", "in", "on", "at", "by", "with", "from",
            "and", "or", "if", "any", "some", "have", "has", "get", "please", "s", "t", "much", "many", "clinic",
            "o", "os", "as", "de", "da", "do", "e", "em", "um", "uma", "para", "com", "el", "la", "los",
            "las", "un", "una", "y", "en", "por", "que", "clinica",
            "и", "в", "на", "с", "у", "вы", "ли", "мне", "я", "клиника");

    private Words() {
    }

    /** The normalised words of {@code text}, in order. */
    static List<String> of(String text) {
        if (text == null) {
            return List.of();
        }
        String folded = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        folded = MARKS.matcher(folded).replaceAll("");
        String spaced = NOT_WORD.matcher(folded).replaceAll(" ").strip();
        if (spaced.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(spaced.split(" ")).map(Words::stem).toList();
    }

    /** Each phrase as its normalised word list; blank phrases are dropped. */
    static List<List<String>> phrases(Collection<String> phrases) {
        List<List<String>> result = new ArrayList<>();
        for (String phrase : phrases) {
            List<String> words = of(phrase);
            if (!words.isEmpty()) {
                result.add(words);
            }
        }
        return result;
    }

    /** The words that say what a text is about. */
    static Set<String> content(List<String> words) {
        Set<String> content = new HashSet<>(words);
        content.removeAll(STOPWORDS);
        return content;
    }

    /** Whether {@code phrase} occurs in {@code words} as consecutive whole words. */
    static boolean containsPhrase(List<String> words, List<String> phrase) {
        return !phrase.isEmpty() && Collections.indexOfSubList(words, phrase) >= 0;
    }

    /** Whether any of {@code phrases} occurs in {@code words}. */
    static boolean containsAny(List<String> words, List<List<String>> phrases) {
        return phrases.stream().anyMatch(phrase -> containsPhrase(words, phrase));
    }

    /** Dice similarity of two word sets: 1 when equal, 0 when nothing is shared. */
    static double similarity(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        long shared = a.stream().filter(b::contains).count();
        return 2.0 * shared / (a.size() + b.size());
    }

    /** Trims a plural "s" so singular and plural match; short words and "-ss" words are kept as they are. */
    private static String stem(String word) {
        if (word.length() >= 4 && word.endsWith("s") && !word.endsWith("ss")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }

    /** Stemmed like the text they are compared with, so "does" also drops out. */
    private static Set<String> set(String... words) {
        return Arrays.stream(words).map(Words::stem).collect(Collectors.toUnmodifiableSet());
    }

}
