package io.whatsappqueue.ai;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the clinic wants patients to know, as loaded from {@code WA_KNOWLEDGE_FILE}. Both the LLM system
 * prompt and the built-in responder read only this, so a patient gets the same facts either way.
 * Built by {@link ClinicKnowledgeLoader}, which has already validated every field. {@code schedule} is present
 * when the file gives a {@code timezone}: the hours are then read as times, for the out-of-hours notice.
 */
public record ClinicKnowledge(
        String name,
        OpeningHours hours,
        String address,
        String phone,
        List<Service> services,
        List<Faq> faq,
        Optional<String> greeting,
        Optional<String> fallback,
        Optional<String> language,
        Optional<OpeningSchedule> schedule) {

    public ClinicKnowledge {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hours, "hours");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(phone, "phone");
        services = List.copyOf(services);
        faq = List.copyOf(faq);
        Objects.requireNonNull(greeting, "greeting");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(schedule, "schedule");
    }

    /** Knowledge without a machine-readable schedule (no {@code timezone}): no out-of-hours notice is possible. */
    public ClinicKnowledge(String name, OpeningHours hours, String address, String phone, List<Service> services,
                           List<Faq> faq, Optional<String> greeting, Optional<String> fallback,
                           Optional<String> language) {
        this(name, hours, address, phone, services, faq, greeting, fallback, language, Optional.empty());
    }

    /** The welcome line: the file's own, or a neutral one naming the clinic. */
    public String greetingText() {
        return greeting.orElse("Hello! Welcome to " + name + ". How can we help you today?");
    }

    /**
     * What a patient receives when nothing better can be said (no match, AI timeout, open circuit).
     * The default points to the phone so no patient is left without a way forward.
     */
    public String fallbackText() {
        return fallback.orElse("Thank you for your message. Our team at " + name
                + " will get back to you shortly. For anything urgent, please call us on " + phone + ".");
    }

    /** Opening hours as the clinic wrote them: one free-text line, or one line per day (order kept). */
    public record OpeningHours(Optional<String> text, Map<String, String> byDay) {

        public OpeningHours {
            Objects.requireNonNull(text, "text");
            // Copy into a LinkedHashMap first: Map.copyOf would lose the clinic's Monday-to-Sunday order.
            byDay = Collections.unmodifiableMap(new LinkedHashMap<>(byDay));
        }

        public static OpeningHours ofText(String text) {
            return new OpeningHours(Optional.of(text), Map.of());
        }

        public static OpeningHours ofDays(Map<String, String> byDay) {
            return new OpeningHours(Optional.empty(), byDay);
        }

        /** Human-readable hours, one line per day when given per day. */
        public String describe() {
            if (text.isPresent()) {
                return text.get();
            }
            StringBuilder lines = new StringBuilder();
            byDay.forEach((day, hoursOfDay) -> {
                if (lines.length() > 0) {
                    lines.append('\n');
                }
                lines.append(day).append(": ").append(hoursOfDay);
            });
            return lines.toString();
        }
    }

    /** A service the clinic offers. The price is kept as written ("£45", "from £60") and never computed. */
    public record Service(String name, String price, Optional<String> description, Optional<String> duration) {

        public Service {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(price, "price");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** A frequently asked question; keywords are words or phrases that should lead straight to this answer. */
    public record Faq(String question, String answer, List<String> keywords) {

        public Faq {
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(answer, "answer");
            keywords = List.copyOf(keywords);
        }
    }
}
