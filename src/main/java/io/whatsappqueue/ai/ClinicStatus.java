package io.whatsappqueue.ai;

import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * The clinic's situation at one moment ({@link OpeningSchedule#statusAt}).
 *
 * @param localNow    the moment in the clinic's time zone
 * @param open        whether the clinic is open then
 * @param nextOpening when closed: the next opening in the clinic's time zone; empty when open or when none is
 *                    scheduled within a year
 * @param closesAt    when open: the end of the current range ({@link LocalTime#MAX} for midnight); else empty
 */
public record ClinicStatus(ZonedDateTime localNow, boolean open, Optional<ZonedDateTime> nextOpening,
                           Optional<LocalTime> closesAt) {
    public ClinicStatus {
        Objects.requireNonNull(localNow, "localNow");
        Objects.requireNonNull(nextOpening, "nextOpening");
        Objects.requireNonNull(closesAt, "closesAt");
    }
}
