package io.whatsappqueue.ai;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Open or closed, and the next opening, on the clinic's wall clock across daylight-saving changes: Europe/Madrid
 * moves to summer time on the last Sunday of March (29 March 2026) and back on the last Sunday of October
 * (25 October 2026); America/New_York on the second Sunday of March (8 March 2026).
 */
class OpeningScheduleTest {
    private static final OpeningSchedule MADRID = new ClinicKnowledgeLoader()
            .load("classpath:knowledge/madrid-clinic.yaml").schedule().orElseThrow();

    @Test
    void nextOpeningAfterTheSpringChangeIsEightOClockSummerTime() {
        // Saturday 28 March 20:00 in Madrid (winter time, UTC+1): closed until Monday, which is in summer time
        ClinicStatus status = MADRID.statusAt(Instant.parse("2026-03-28T19:00:00Z"));

        assertFalse(status.open());
        assertEquals(Instant.parse("2026-03-30T06:00:00Z"), status.nextOpening().orElseThrow().toInstant(),
                "08:00 at UTC+2, not at the UTC+1 of the day asked");
        assertEquals("We're closed now. We open again Monday 30 March at 08:00.",
                ClosedNotice.of(status, Optional.of("en")));
    }

    @Test
    void openingTimeFollowsTheWallClockOnBothSidesOfTheSpringChange() {
        // Friday 27 March 06:30Z is 07:30 in Madrid (UTC+1): not yet open
        ClinicStatus friday = MADRID.statusAt(Instant.parse("2026-03-27T06:30:00Z"));
        assertFalse(friday.open());
        assertEquals(Instant.parse("2026-03-27T07:00:00Z"), friday.nextOpening().orElseThrow().toInstant());
        // Monday 30 March 06:30Z is 08:30 in Madrid (UTC+2): open until 13:00
        ClinicStatus monday = MADRID.statusAt(Instant.parse("2026-03-30T06:30:00Z"));
        assertTrue(monday.open());
        assertEquals("13:00", ClosedNotice.clock(monday.closesAt().orElseThrow()));
        assertEquals(8, monday.localNow().getHour());
    }

    @Test
    void openingTimeFollowsTheWallClockAfterTheAutumnChange() {
        // Monday 26 October 06:30Z is 07:30 in Madrid (back to UTC+1): closed, opens at 07:00Z
        ClinicStatus status = MADRID.statusAt(Instant.parse("2026-10-26T06:30:00Z"));

        assertFalse(status.open());
        ZonedDateTime next = status.nextOpening().orElseThrow();
        assertEquals(Instant.parse("2026-10-26T07:00:00Z"), next.toInstant());
        assertEquals("We're closed now. We open again Monday 26 October at 08:00.",
                ClosedNotice.of(status, Optional.empty()));
    }

    @Test
    void middayBreakIsClosedUntilTheAfternoonRange() {
        // Wednesday 4 March 13:30 in Madrid (UTC+1)
        ClinicStatus status = MADRID.statusAt(Instant.parse("2026-03-04T12:30:00Z"));

        assertFalse(status.open());
        assertEquals("We're closed now. We open again Wednesday 4 March at 15:00.",
                ClosedNotice.of(status, Optional.of("en")));
    }

    @Test
    void closedDatesAreSkippedWhateverTheWeekday() {
        // Thursday 24 December 20:00 in Madrid; Friday 25 and Saturday 26 are closed dates
        ClinicStatus status = MADRID.statusAt(Instant.parse("2026-12-24T19:00:00Z"));

        assertEquals("We're closed now. We open again Monday 28 December at 08:00.",
                ClosedNotice.of(status, Optional.of("en")));
        assertFalse(MADRID.statusAt(Instant.parse("2026-12-25T10:00:00Z")).open(), "a Friday that is a closed date");
    }

    @Test
    void newYorkOpensAtNineEasternDaylightTimeAfterItsSpringChange() {
        OpeningSchedule newYork = new OpeningSchedule(java.time.ZoneId.of("America/New_York"),
                java.util.Map.of(java.time.DayOfWeek.MONDAY, java.util.List.of(new OpeningSchedule.Range(
                        java.time.LocalTime.of(9, 0), java.time.LocalTime.of(17, 0)))), java.util.Set.of());
        // Saturday 7 March 2026 18:00 EST (UTC-5); Monday 9 March is EDT (UTC-4)
        ClinicStatus status = newYork.statusAt(Instant.parse("2026-03-07T23:00:00Z"));

        assertEquals(Instant.parse("2026-03-09T13:00:00Z"), status.nextOpening().orElseThrow().toInstant());
        assertTrue(newYork.statusAt(Instant.parse("2026-03-09T13:30:00Z")).open(), "09:30 EDT");
        assertFalse(newYork.statusAt(Instant.parse("2026-03-02T13:30:00Z")).open(), "08:30 EST a week before");
    }

    @Test
    void noticeIsWrittenInTheKnowledgeFilesLanguage() {
        ClinicStatus status = MADRID.statusAt(Instant.parse("2026-03-28T19:00:00Z"));

        assertEquals("Ahora estamos cerrados. Volvemos a abrir el lunes 30 de marzo a las 08:00.",
                ClosedNotice.of(status, Optional.of("es")));
        assertEquals("Agora estamos fechados. Abrimos novamente segunda-feira, 30 de março, às 08:00.",
                ClosedNotice.of(status, Optional.of("pt-BR")));
        assertEquals("Сейчас мы закрыты. Откроемся в понедельник, 30 марта, в 08:00.",
                ClosedNotice.of(status, Optional.of("ru")));
    }
}
