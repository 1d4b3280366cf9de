package io.whatsappqueue.inbound;

import java.text.Normalizer;
import java.util.Set;
import java.util.regex.Pattern;

import io.whatsappqueue.admin.AdminSettings;
import org.apache.camel.Exchange;

/**
 * Recognises a patient asking for a person (DESIGN §10): the whole message, or the id or text of the button or list
 * row they chose, equals one of WA_HANDOFF_KEYWORDS. Both sides are compared in {@link #form}: case, accents,
 * punctuation, emoji and spacing do not matter ("Humano!", "HUMANO", "humano 🙏", "atención humana" = "atencion
 * humana"; a button id {@code talk_to_human} = "talk to human"). A sentence that merely contains a keyword ("I don't
 * want to talk to a human") is not a request: only whole-message equality counts, as for STOP.
 */
public final class HandoffRequests {
    private static final Pattern ACCENTS = Pattern.compile("\\p{InCombiningDiacriticalMarks}+");
    /** Punctuation, symbols (emoji) and control characters inside a phrase separate words like a space. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\p{P}\\p{S}\\p{C}\\x{FE00}-\\x{FE0F}\\x{20E3}]+");

    private final Set<String> keywords;

    /** @param keywords already in {@link #form} (ReceptionistSettings); empty turns hand-off off */
    public HandoffRequests(Set<String> keywords) {
        this.keywords = Set.copyOf(keywords);
    }

    /**
     * The comparison form: the opt-out keywords' form ({@link AdminSettings#keywordForm}: NFKC, case-folded in any
     * script, surrounding punctuation and emoji dropped) after Latin and Cyrillic accents are removed (é → e,
     * ñ → n, й → и, ё → е) and inner punctuation turned into spaces.
     */
    public static String form(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKD);
        t = ACCENTS.matcher(t).replaceAll("");
        t = SEPARATORS.matcher(t).replaceAll(" ");
        return AdminSettings.keywordForm(t);
    }

    /** Whether {@code text} (a whole message) or {@code choiceId} (a button or list row id) asks for a person. */
    public boolean asksForPerson(String text, String choiceId) {
        if (keywords.isEmpty()) {
            return false;
        }
        return text != null && keywords.contains(form(text)) || choiceId != null && keywords.contains(form(choiceId));
    }

    /**
     * Reply route filter: the inbound message asks for a person.
     * Reads: property WaInbound. Sets: nothing; returns the answer.
     */
    public boolean isRequest(Exchange exchange) {
        InboundEntry e = exchange.getProperty(InboundEntries.PROPERTY, InboundEntry.class);
        return !e.isBareMedia() && asksForPerson(e.text(), e.choiceId());
    }
}
