package io.whatsappqueue.admin;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.whatsappqueue.config.ConfigException;

/**
 * The admin API's own settings, read from Camel properties named like their environment variables (the
 * shared {@code Settings} stays about the pipeline): health thresholds with the previous system's defaults
 * and the opt-out / opt-in keywords.
 */
public final class AdminSettings {
    public final long maxQueueDepth;
    public final long maxDlqDepth;
    public final long stuckIdleMs;
    public final Set<String> optOutKeywords;
    public final Set<String> optInKeywords;

    private AdminSettings(Function<String, String> source) {
        List<String> problems = new ArrayList<>();
        maxQueueDepth = whole(source, "WA_HEALTH_MAX_QUEUE_DEPTH", problems);
        maxDlqDepth = whole(source, "WA_HEALTH_MAX_DLQ_DEPTH", problems);
        stuckIdleMs = whole(source, "WA_HEALTH_STUCK_IDLE_MS", problems);
        optOutKeywords = keywords(source, "WA_OPTOUT_KEYWORDS", problems);
        optInKeywords = keywords(source, "WA_OPTIN_KEYWORDS", problems);
        for (String k : optOutKeywords) {
            if (optInKeywords.contains(k)) {
                problems.add("'" + k + "' is in both WA_OPTOUT_KEYWORDS and WA_OPTIN_KEYWORDS");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }

    /** Reads and validates; throws {@link ConfigException} naming every bad variable. */
    public static AdminSettings load(Function<String, String> source) {
        return new AdminSettings(source);
    }

    /**
     * Whatever surrounds a keyword in a real message and is not part of it: punctuation, symbols and emoji,
     * spaces, format and control characters (the zero-width joiner inside emoji), variation selectors and the
     * keycap mark. Combining marks in general stay: they can end a word (Devanagari vowel signs).
     */
    private static final Pattern AROUND = Pattern.compile(
            "^[\\p{P}\\p{S}\\p{Z}\\p{C}\\s\\x{FE00}-\\x{FE0F}\\x{20E3}\\x{E0100}-\\x{E01EF}]+"
            + "|[\\p{P}\\p{S}\\p{Z}\\p{C}\\s\\x{FE00}-\\x{FE0F}\\x{20E3}\\x{E0100}-\\x{E01EF}]+$");
    private static final Pattern SPACES = Pattern.compile("[\\p{Z}\\s]+");

    /**
     * The form in which opt-out / opt-in keywords and patients' messages are compared, the same for both: NFKC
     * (full-width {@code ＳＴＯＰ} is {@code STOP}), case-folded in any script ({@code СТОП} and {@code стоп}),
     * surrounding punctuation and emoji dropped ({@code Stop.}, {@code stop 🙏}), inner spaces collapsed.
     * Java has no full case folding: upper- then lower-casing gives it for keywords (ß and SS meet).
     */
    public static String keywordForm(String s) {
        String t = Normalizer.normalize(s, Normalizer.Form.NFKC);
        t = AROUND.matcher(t).replaceAll("");
        t = SPACES.matcher(t).replaceAll(" ");
        t = t.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(t, Normalizer.Form.NFKC);
    }

    private static long whole(Function<String, String> source, String name, List<String> problems) {
        String v = source.apply(name);
        try {
            long n = Long.parseLong(v == null ? "" : v.trim());
            if (n < 0) {
                problems.add(name + " must be 0 or more, got '" + v + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + v + "'");
            return 0;
        }
    }

    private static Set<String> keywords(Function<String, String> source, String name, List<String> problems) {
        String v = source.apply(name);
        Set<String> out = new LinkedHashSet<>();
        if (v != null) {
            for (String part : v.split(",")) {
                String k = keywordForm(part);
                if (!k.isEmpty()) {
                    out.add(k);
                }
            }
        }
        if (out.isEmpty()) {
            problems.add(name + " must list at least one keyword (comma-separated)");
        }
        return Collections.unmodifiableSet(out);
    }
}
