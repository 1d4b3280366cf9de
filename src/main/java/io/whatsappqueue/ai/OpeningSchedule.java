package io.whatsappqueue.ai;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When the clinic is open, in its own time zone: ranges of local wall-clock time per weekday (several a day
 * allowed) and whole dates it is closed (holidays). Built from the knowledge file's {@code timezone}, {@code hours}
 * and {@code closed_dates} by {@link ClinicKnowledgeLoader}, which has validated them.
 *
 * <p>Every decision is made on the local date and time of the instant asked about, so a range "08:00–18:00" means
 * 08:00 on the clinic's wall clock in winter and in summer alike; a start that falls in a daylight-saving gap (the
 * clocks skip it) opens at the first local time after the gap.
 */
public record OpeningSchedule(ZoneId zone, Map<DayOfWeek, List<Range>> week, Set<LocalDate> closedDates) {

    /** How far ahead a next opening is looked for; a clinic with none within a year is reported as closed. */
    private static final int LOOK_AHEAD_DAYS = 400;

    public OpeningSchedule {
        Objects.requireNonNull(zone, "zone");
        Map<DayOfWeek, List<Range>> copy = new EnumMap<>(DayOfWeek.class);
        week.forEach((day, ranges) -> copy.put(day, List.copyOf(ranges)));
        week = java.util.Collections.unmodifiableMap(copy);
        closedDates = Set.copyOf(closedDates);
    }

    /**
     * Opening hours of one day: from {@code start} (inclusive) to {@code end} (exclusive), end after start; an end
     * of {@link LocalTime#MAX} stands for midnight at the end of the day ("24:00").
     */
    public record Range(LocalTime start, LocalTime end) {
        public Range {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("a range must end after it starts");
            }
        }

        boolean contains(LocalTime t) {
            return !t.isBefore(start) && (end.equals(LocalTime.MAX) || t.isBefore(end));
        }
    }

    /** The clinic's situation at {@code now}: its local time, open or not, and the next opening when closed. */
    public ClinicStatus statusAt(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        for (Range r : rangesOn(today)) {
            if (r.contains(time)) {
                return new ClinicStatus(local, true, Optional.empty(), Optional.of(r.end()));
            }
        }
        return new ClinicStatus(local, false, nextOpening(now, today), Optional.empty());
    }

    private Optional<ZonedDateTime> nextOpening(Instant now, LocalDate from) {
        for (int i = 0; i <= LOOK_AHEAD_DAYS; i++) {
            LocalDate date = from.plusDays(i);
            for (Range r : rangesOn(date)) {
                // ZonedDateTime.of moves a local time inside a spring-forward gap to just after it
                ZonedDateTime start = ZonedDateTime.of(date, r.start(), zone);
                if (start.toInstant().isAfter(now)) {
                    return Optional.of(start);
                }
            }
        }
        return Optional.empty();
    }

    private List<Range> rangesOn(LocalDate date) {
        return closedDates.contains(date) ? List.of() : week.getOrDefault(date.getDayOfWeek(), List.of());
    }
}
