package io.whatsappqueue.ai;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Recognises messages that are only a greeting or only thanks ("hi", "good morning!", "olá",
 * "привет", "thanks a lot 🙏"). Those need no model call: answering them locally is instant and free,
 * and a message that also asks something ("hi, when are you open?") is deliberately not small talk.
 */
final class SmallTalk {

    enum Kind { GREETING, THANKS }

    private static final List<List<String>> GREETINGS = longestFirst(Words.phrases(List.of(
            "hi", "hello", "hey", "hiya", "howdy", "greetings", "good morning", "good afternoon",
            "good evening", "good day", "morning", "afternoon", "evening",
            "olá", "oi", "bom dia", "boa tarde", "boa noite",
            "hola", "buenos días", "buenas tardes", "buenas noches", "buenas",
            "bonjour", "bonsoir", "salut", "hallo", "guten morgen", "guten tag", "guten abend",
            "ciao", "buongiorno", "buonasera",
            "привет", "здравствуйте", "здравствуй", "добрый день", "доброе утро", "добрый вечер")));

    private static final List<List<String>> THANKS = longestFirst(Words.phrases(List.of(
            "thanks", "thank you", "thank u", "thx", "ty", "tks", "cheers", "many thanks",
            "much appreciated", "appreciated", "obrigado", "obrigada", "valeu", "gracias", "muchas gracias",
            "merci", "merci beaucoup", "danke", "danke schön", "vielen dank", "grazie", "grazie mille",
            "спасибо", "благодарю", "большое спасибо")));

    /** Words that may surround a greeting or thanks without turning it into a question. */
    private static final List<List<String>> FILLERS = longestFirst(Words.phrases(List.of(
            "there", "all", "everyone", "team", "folks", "guys", "again", "so", "very", "much", "a", "lot",
            "lots", "you", "u", "ok", "okay", "great", "perfect", "dear", "doctor", "dr", "the", "clinic",
            "and", "too", "muito", "muita", "pessoal", "mucho", "todos", "beaucoup", "tutti", "вам", "всем",
            "очень")));

    private SmallTalk() {
    }

    /**
     * The kind of small talk {@code text} is, or empty when any word is more than greeting, thanks or
     * filler. Thanks wins over a greeting ("hi, thanks!") because it closes the conversation.
     */
    static Optional<Kind> classify(String text) {
        List<String> words = Words.of(text);
        boolean greeted = false;
        boolean thanked = false;
        int at = 0;
        while (at < words.size()) {
            int greeting = matchAt(words, at, GREETINGS);
            int thanks = matchAt(words, at, THANKS);
            int filler = matchAt(words, at, FILLERS);
            int longest = Math.max(greeting, Math.max(thanks, filler));
            if (longest == 0) {
                return Optional.empty();
            }
            greeted |= greeting == longest;
            thanked |= thanks == longest;
            at += longest;
        }
        if (thanked) {
            return Optional.of(Kind.THANKS);
        }
        return greeted ? Optional.of(Kind.GREETING) : Optional.empty();
    }

    /** Length in words of the longest phrase starting at {@code at}, or 0. */
    private static int matchAt(List<String> words, int at, List<List<String>> phrases) {
        for (List<String> phrase : phrases) {
            if (at + phrase.size() <= words.size() && words.subList(at, at + phrase.size()).equals(phrase)) {
                return phrase.size();
            }
        }
        return 0;
    }

    private static List<List<String>> longestFirst(List<List<String>> phrases) {
        return phrases.stream().sorted(Comparator.comparingInt((List<String> p) -> p.size()).reversed()).toList();
    }
}
