package io.whatsappqueue.ai;

import io.whatsappqueue.ai.ClinicKnowledge.Faq;
import io.whatsappqueue.ai.ClinicKnowledge.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers patients from the knowledge file alone: the offline default when no AI is configured, and
 * the fast path for plain greetings and thanks before any model call. Deterministic: the same text
 * always gets the same answer, and every fact in an answer is copied from the file.
 *
 * <p>Order of answers in one reply: the best FAQ entry, then the services named, then the price list,
 * hours, address and phone when asked for. Nothing recognised: the file's fallback text.
 */
public final class KnowledgeResponder {

    /**
     * An FAQ question this similar to the patient's text answers it even without a keyword. Above 0.5
     * so that one shared word between two-word questions is not enough.
     */
    private static final double FAQ_SIMILARITY = 0.6;

    private static final String THANKS_REPLY = "You're welcome! If there is anything else, just send us a message here.";

    private static final List<List<String>> PRICE_WORDS = Words.phrases(List.of(
            "price", "pricing", "cost", "how much", "fee", "charge", "tariff",
            "preço", "quanto custa", "valor", "precio", "cuánto cuesta", "cuanto vale", "tarifa",
            "цена", "цены", "стоимость", "сколько стоит", "прайс"));
    private static final List<List<String>> HOURS_WORDS = Words.phrases(List.of(
            "hours", "open", "opening", "opens", "close", "closing", "closed", "what time", "timetable",
            "horário", "funcionamento", "aberto", "abierto", "abren",
            "часы", "график", "работаете", "открыты"));
    private static final List<List<String>> ADDRESS_WORDS = Words.phrases(List.of(
            "address", "where", "location", "located", "directions", "direction", "find you", "get there",
            "postcode", "map", "endereço", "onde", "localização", "dirección", "dónde", "ubicación",
            "адрес", "где", "добраться"));
    private static final List<List<String>> PHONE_WORDS = Words.phrases(List.of(
            "phone", "telephone", "call", "ring you", "contact number", "telefone", "teléfono",
            "телефон", "позвонить"));

    private final ClinicKnowledge knowledge;
    private final List<ServiceMatcher> services;
    private final List<FaqMatcher> faq;

    public KnowledgeResponder(ClinicKnowledge knowledge) {
        this.knowledge = knowledge;
        this.services = knowledge.services().stream().map(ServiceMatcher::new).toList();
        this.faq = knowledge.faq().stream().map(FaqMatcher::new).toList();
    }

    /**
     * The reply to a message that is only a greeting or only thanks; empty for anything else, which
     * then goes to {@link #answer} or the AI.
     */
    public Optional<String> fastPath(String text) {
        return SmallTalk.classify(text).map(kind -> switch (kind) {
            case GREETING -> knowledge.greetingText();
            case THANKS -> THANKS_REPLY;
        });
    }

    /** The best answer the knowledge file gives to {@code text}; the fallback text when it gives none. */
    public String answer(String text) {
        Optional<String> smallTalk = fastPath(text);
        if (smallTalk.isPresent()) {
            return smallTalk.get();
        }
        List<String> words = Words.of(text);
        Set<String> content = Words.content(words);
        boolean askedPrice = Words.containsAny(words, PRICE_WORDS);

        List<String> parts = new ArrayList<>();
        Optional<Faq> faqAnswer = bestFaq(words, content);
        faqAnswer.ifPresent(entry -> parts.add(entry.answer()));

        // A service named alongside an FAQ topic ("blood test results") is context, not a price question.
        List<Service> named = askedPrice || faqAnswer.isEmpty() ? namedServices(content, askedPrice) : List.of();
        named.forEach(service -> parts.add(describe(service)));
        if (askedPrice && named.isEmpty()) {
            parts.add(priceList());
        }
        if (Words.containsAny(words, HOURS_WORDS)) {
            parts.add(hours());
        }
        if (Words.containsAny(words, ADDRESS_WORDS)) {
            parts.add("You can find us at " + sentence(knowledge.address()));
        }
        if (Words.containsAny(words, PHONE_WORDS)) {
            parts.add("You can call us on " + sentence(knowledge.phone()));
        }
        return parts.isEmpty() ? knowledge.fallbackText() : String.join("\n\n", parts);
    }

    /** The FAQ entry with the most keyword hits plus question similarity; ties go to the earlier entry. */
    private Optional<Faq> bestFaq(List<String> words, Set<String> content) {
        FaqMatcher best = null;
        double bestScore = 0;
        for (FaqMatcher candidate : faq) {
            int hits = candidate.keywordHits(words);
            double similarity = Words.similarity(content, candidate.questionContent);
            if (hits == 0 && similarity < FAQ_SIMILARITY) {
                continue;
            }
            double score = hits + similarity;
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best).map(matcher -> matcher.entry);
    }

    /**
     * Services whose whole name appears in the text. When a price was asked and none is named in full,
     * the single service sharing the largest part of its name ("how much is a consultation").
     */
    private List<Service> namedServices(Set<String> content, boolean askedPrice) {
        List<Service> full = services.stream()
                .filter(matcher -> matcher.coverage(content) == 1.0)
                .map(matcher -> matcher.service)
                .toList();
        if (!full.isEmpty() || !askedPrice) {
            return full;
        }
        ServiceMatcher best = null;
        double bestCoverage = 0;
        boolean tied = false;
        for (ServiceMatcher candidate : services) {
            double coverage = candidate.coverage(content);
            if (coverage > bestCoverage) {
                best = candidate;
                bestCoverage = coverage;
                tied = false;
            } else if (coverage > 0 && coverage == bestCoverage) {
                tied = true;
            }
        }
        // A tie means the text does not say which service; the whole price list is the honest answer.
        return best == null || tied ? List.of() : List.of(best.service);
    }

    private static String describe(Service service) {
        StringBuilder line = new StringBuilder(service.name()).append(": ").append(service.price());
        service.duration().ifPresent(duration -> line.append(" (").append(duration).append(')'));
        service.description().ifPresent(description -> line.append('\n').append(description));
        return line.toString();
    }

    private String priceList() {
        StringBuilder list = new StringBuilder("Our prices:");
        for (Service service : knowledge.services()) {
            list.append("\n• ").append(service.name()).append(": ").append(service.price());
            service.duration().ifPresent(duration -> list.append(" (").append(duration).append(')'));
        }
        return list.toString();
    }

    private String hours() {
        ClinicKnowledge.OpeningHours hours = knowledge.hours();
        return hours.text().isPresent()
                ? "Our opening hours: " + hours.describe()
                : "Our opening hours:\n" + hours.describe();
    }

    /** Ends a fact with a full stop unless it already ends a sentence. */
    private static String sentence(String fact) {
        return fact.matches(".*[.!?]$") ? fact : fact + ".";
    }

    /** A service with its name prepared for matching once, not on every message. */
    private static final class ServiceMatcher {
        private final Service service;
        private final Set<String> nameContent;

        ServiceMatcher(Service service) {
            this.service = service;
            this.nameContent = Words.content(Words.of(service.name()));
        }

        /** Share of the service name's words found in the text; a 4+ letter prefix counts ("physio"). */
        double coverage(Set<String> content) {
            if (nameContent.isEmpty()) {
                return 0;
            }
            long found = nameContent.stream().filter(word -> mentions(content, word)).count();
            return (double) found / nameContent.size();
        }

        private static boolean mentions(Set<String> content, String nameWord) {
            return content.stream().anyMatch(word -> word.equals(nameWord)
                    || word.length() >= 4 && nameWord.startsWith(word));
        }
    }

    /** An FAQ entry with its keywords and question prepared for matching once. */
    private static final class FaqMatcher {
        private final Faq entry;
        private final List<List<String>> keywords;
        private final Set<String> questionContent;

        FaqMatcher(Faq entry) {
            this.entry = entry;
            this.keywords = Words.phrases(entry.keywords());
            this.questionContent = Words.content(Words.of(entry.question()));
        }

        int keywordHits(List<String> words) {
            return (int) keywords.stream().filter(keyword -> Words.containsPhrase(words, keyword)).count();
        }
    }
}
