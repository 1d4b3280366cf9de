package io.whatsappqueue.inbound;

import java.time.Clock;
import java.util.Optional;

import io.whatsappqueue.ai.ClinicKnowledge;
import io.whatsappqueue.ai.ClinicStatus;
import io.whatsappqueue.ai.ClosedNotice;
import io.whatsappqueue.inbound.ReceptionistSettings.OutOfHoursMode;
import org.apache.camel.Exchange;

/**
 * Outside opening hours the patient is told the clinic is closed and when it opens next (WA_OUT_OF_HOURS, DESIGN
 * §10): {@code notice} adds {@link ClosedNotice} after the usual answer (fast path, LLM, knowledge responder or
 * fallback alike; the LLM is also told the local time), {@code notice_only} answers with the notice alone and calls
 * no AI, {@code off} does neither. Needs the knowledge file's {@code timezone}: without it the hours are free text
 * and nothing here happens. The time comes from the one {@link Clock} bean, so tests can fix it.
 */
public final class OutOfHours {
    /** Exchange property: the clinic's {@link ClinicStatus} now, when it has a schedule and the mode is not off. */
    public static final String STATUS = "WaClinicStatus";
    /** How a notice-only reply was made, in property WaReplySource and the metrics' {@code source} label. */
    public static final String SOURCE = "out_of_hours";

    private final OutOfHoursMode mode;
    private final ClinicKnowledge knowledge;
    private final Clock clock;

    public OutOfHours(OutOfHoursMode mode, ClinicKnowledge knowledge, Clock clock) {
        this.mode = mode;
        this.knowledge = knowledge;
        this.clock = clock;
    }

    /**
     * Route step before the reply is generated: the clinic's situation now; with notice_only while closed, the
     * notice is the reply.
     * Reads: nothing. Sets: property WaClinicStatus; body and property WaReplySource (out_of_hours) for
     * notice_only while closed.
     */
    public void assess(Exchange exchange) {
        if (mode == OutOfHoursMode.OFF || knowledge.schedule().isEmpty()) {
            return;
        }
        ClinicStatus status = knowledge.schedule().get().statusAt(clock.instant());
        exchange.setProperty(STATUS, status);
        if (!status.open() && mode == OutOfHoursMode.NOTICE_ONLY) {
            exchange.getMessage().setBody(ClosedNotice.of(status, knowledge.language()));
            exchange.setProperty(ReplyDrafts.SOURCE, SOURCE);
        }
    }

    /**
     * Route step after the reply is generated (before the draft is kept, so a redelivery sends the same text): the
     * notice after the reply while closed (mode notice).
     * Reads: property WaClinicStatus, WaReplySource; body (the reply). Sets: body (the reply and the notice).
     */
    public void addNotice(Exchange exchange) {
        ClinicStatus status = exchange.getProperty(STATUS, ClinicStatus.class);
        if (status == null || status.open() || mode != OutOfHoursMode.NOTICE
                || SOURCE.equals(exchange.getProperty(ReplyDrafts.SOURCE))) {
            return;
        }
        String reply = exchange.getMessage().getBody(String.class);
        String notice = ClosedNotice.of(status, knowledge.language());
        exchange.getMessage().setBody(reply == null || reply.isBlank() ? notice : reply.strip() + "\n\n" + notice);
    }

    /** The status the route step found, for the LLM's prompt; empty when none was assessed. */
    public static Optional<ClinicStatus> of(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(STATUS, ClinicStatus.class));
    }
}
