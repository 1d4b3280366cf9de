package io.whatsappqueue.ai;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sentence a patient gets outside opening hours: that the clinic is closed now and when it opens next, as
 * date and time on the clinic's clock ("We're closed now. We open again Monday 2 March at 08:00."). Written in the
 * knowledge file's {@code language} when it is Spanish, Portuguese or Russian, else in English (the language of the
 * built-in responder). Weekday and date always name the day, so "Monday" can never be read as a week too early.
 */
public final class ClosedNotice {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    /** Russian says "on Monday" with the weekday in the accusative, which java.time does not give. */
    private static final Map<DayOfWeek, String> RU_ON_DAY = Map.of(
            DayOfWeek.MONDAY, "в понедельник", DayOfWeek.TUESDAY, "во вторник", DayOfWeek.WEDNESDAY, "в среду",
            DayOfWeek.THURSDAY, "в четверг", DayOfWeek.FRIDAY, "в пятницу", DayOfWeek.SATURDAY, "в субботу",
            DayOfWeek.SUNDAY, "в воскресенье");

    private ClosedNotice() {
    }

    /** @param language the knowledge file's {@code language} (e.g. {@code en}, {@code es}, {@code pt-BR}), or empty */
    public static String of(ClinicStatus status, Optional<String> language) {
        Optional<ZonedDateTime> next = status.nextOpening();
        return switch (languageOf(language)) {
            case "es" -> "Ahora estamos cerrados." + next.map(t -> " Volvemos a abrir el "
                    + t.format(DateTimeFormatter.ofPattern("EEEE d 'de' MMMM", Locale.forLanguageTag("es")))
                    + " a las " + TIME.format(t) + ".").orElse("");
            case "pt" -> "Agora estamos fechados." + next.map(t -> " Abrimos novamente "
                    + t.format(DateTimeFormatter.ofPattern("EEEE, d 'de' MMMM,", Locale.forLanguageTag("pt")))
                    + " às " + TIME.format(t) + ".").orElse("");
            case "ru" -> "Сейчас мы закрыты." + next.map(t -> " Откроемся " + RU_ON_DAY.get(t.getDayOfWeek()) + ", "
                    + t.format(DateTimeFormatter.ofPattern("d MMMM", Locale.forLanguageTag("ru"))) + ", в "
                    + TIME.format(t) + ".").orElse("");
            default -> "We're closed now." + next.map(t -> " We open again " + english(t) + ".").orElse("");
        };
    }

    /** "Monday 2 March at 08:00", in English whatever the notice's language (the AI's prompt uses it too). */
    public static String english(ZonedDateTime t) {
        return t.format(DateTimeFormatter.ofPattern("EEEE d MMMM", Locale.ENGLISH)) + " at " + TIME.format(t);
    }

    /** "18:30", or "24:00" for the end of the day. */
    public static String clock(LocalTime t) {
        return t.equals(LocalTime.MAX) ? "24:00" : TIME.format(t);
    }

    private static String languageOf(Optional<String> language) {
        String l = language.orElse("en").strip().toLowerCase(Locale.ROOT);
        if (l.startsWith("es") || l.startsWith("spa")) {
            return "es";
        }
        if (l.startsWith("pt") || l.startsWith("por")) {
            return "pt";
        }
        if (l.startsWith("ru") || l.startsWith("рус")) {
            return "ru";
        }
        return "en";
    }
}
