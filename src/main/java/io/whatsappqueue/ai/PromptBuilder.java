package io.whatsappqueue.ai;

import io.whatsappqueue.ai.ClinicKnowledge.Faq;
import io.whatsappqueue.ai.ClinicKnowledge.Service;

import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the model's system prompt: how to behave, then the clinic's facts from the knowledge file.
 * The facts are the only source the model may use, which is what keeps it from inventing prices or hours.
 */
public final class PromptBuilder {

    /**
     * The system prompt for {@code knowledge} and, when the clinic has a schedule, its situation now: the local
     * time and whether it is open, so "are you open now?" is answered right. When it is closed the patient also
     * gets {@link ClosedNotice} added after the model's answer (WA_OUT_OF_HOURS=notice), so the model is told
     * not to repeat it.
     */
    public String systemPrompt(ClinicKnowledge knowledge, Optional<ClinicStatus> now) {
        String prompt = systemPrompt(knowledge);
        return now.map(status -> prompt + "\n\n" + situation(status)).orElse(prompt);
    }

    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH);

    private static String situation(ClinicStatus status) {
        StringBuilder s = new StringBuilder("Now: ").append(status.localNow().format(LOCAL_TIME))
                .append(" at the clinic (").append(status.localNow().getZone().getId()).append(").\n");
        if (status.open()) {
            s.append("The clinic is open now, until ").append(ClosedNotice.clock(status.closesAt().orElseThrow()))
                    .append('.');
        } else {
            s.append("The clinic is closed now");
            status.nextOpening().ifPresent(t -> s.append("; it opens again ").append(ClosedNotice.english(t)));
            s.append(". A note saying so is added after your reply automatically: do not repeat it, answer the ")
                    .append("patient's message.");
        }
        return s.toString();
    }

    /** The system prompt for {@code knowledge}; the same knowledge always gives the same prompt. */
    public String systemPrompt(ClinicKnowledge knowledge) {
        StringBuilder prompt = new StringBuilder();
        prompt.append("You are the WhatsApp receptionist of ").append(knowledge.name()).append(".\n")
                .append("Reply briefly (at most three short sentences or a short list), in a warm and friendly tone, ")
                .append("in the language the patient writes in");
        knowledge.language().ifPresent(language ->
                prompt.append(" (if unclear, use the clinic's language: ").append(language).append(')'));
        prompt.append(".\n\nRules:\n")
                .append("- Use only the clinic facts below. Never invent or estimate prices, services, opening hours, ")
                .append("staff or availability. If something is not listed, say the team will get back to them, ")
                .append("or invite them to call ").append(knowledge.phone()).append(".\n")
                .append("- Do not diagnose, interpret symptoms or test results, or recommend medication or treatment; ")
                .append("offer an appointment with a clinician instead.\n")
                .append("- If the message suggests an emergency (for example chest pain, difficulty breathing, ")
                .append("heavy bleeding, signs of a stroke, thoughts of self-harm), tell the patient to call the ")
                .append("local emergency number (such as 999, 112 or 911) or go to the nearest emergency department now.\n")
                .append("- Do not ask for more personal or medical details than a booking needs.\n")
                .append("- Write plain WhatsApp text: no headings, tables or markdown links.\n")
                .append("\nClinic facts:\n")
                .append("Name: ").append(knowledge.name()).append('\n')
                .append("Address: ").append(knowledge.address()).append('\n')
                .append("Phone: ").append(knowledge.phone()).append('\n')
                .append("Opening hours:\n").append(indent(knowledge.hours().describe())).append('\n')
                .append("Services and prices:\n");
        for (Service service : knowledge.services()) {
            prompt.append("- ").append(service.name()).append(": ").append(service.price());
            service.duration().ifPresent(duration -> prompt.append(", ").append(duration));
            service.description().ifPresent(description -> prompt.append(". ").append(description));
            prompt.append('\n');
        }
        if (!knowledge.faq().isEmpty()) {
            prompt.append("Frequently asked questions:\n");
            for (Faq entry : knowledge.faq()) {
                prompt.append("Q: ").append(entry.question()).append('\n')
                        .append("A: ").append(entry.answer()).append('\n');
            }
        }
        return prompt.toString().stripTrailing();
    }

    private static String indent(String lines) {
        return "  " + lines.replace("\n", "\n  ");
    }
}
