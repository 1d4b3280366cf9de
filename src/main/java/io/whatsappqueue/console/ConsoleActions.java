package io.whatsappqueue.console;

import io.whatsappqueue.send.OutboundMessages;
import java.util.Arrays;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * The buttons of the console's instance page (POST /console/instances/{instance}/{action}); routes/console.camel.yaml
 * maps each to the admin bean it calls. The ones that cannot be undone, or move many entries, need a second,
 * confirming POST ({@code confirm=yes}); the first one answers the confirmation page.
 */
public final class ConsoleActions {
    /** Exchange property: true when the request must be confirmed first (the route renders the confirmation). */
    public static final String NEEDS_CONFIRM = "WaConsoleNeedsConfirm";
    private static final Pattern STREAM_ID = Pattern.compile("^\\d{1,20}-\\d{1,20}$");
    private static final ObjectMapper JSON = OutboundMessages.json(); // the project's one mapper

    /** Each action: its path segment, whether it needs confirming, the button's words and what it does. */
    public enum Action {
        DLQ_REPLAY("dlq-replay", false, "Replay", "Puts this dead letter back on the send stream."),
        DLQ_REPLAY_ALL("dlq-replay-all", true, "Replay every dead letter",
                "Puts every dead letter back on the send stream; ones already sent stay in the DLQ."),
        DLQ_REVEAL("dlq-reveal", false, "Reveal", "Shows this dead letter's full number and text, once."),
        DLQ_PURGE("dlq-purge", true, "Purge the DLQ",
                "Deletes every dead letter of this instance. This cannot be undone."),
        CHAT_RESUME("chat-resume", false, "Resume", "Ends the pause: AI replies reach this chat again."),
        CHAT_OPT_IN("chat-opt-in", true, "Opt in again",
                "Clears this contact's opt-out, so AI replies reach them again. Only do this when the patient asked."),
        RESET_TO_LATEST("reset-to-latest", true, "Reset to latest",
                "Skips the backlog: every entry not in a worker's hands moves to the DLQ (skipped_by_reset)."),
        RESET_TO_BEGIN("reset-to-begin", true, "Reset to begin",
                "Delivers again what was acknowledged but is still in the stream; sent ones are removed, not re-sent."),
        DESTROY_RECREATE("destroy-recreate", true, "Destroy and recreate the group",
                "A fresh consumer group: the backlog moves to the DLQ, pending entries are kept with their consumers."),
        CLAIM("claim", true, "Claim pending entries",
                "Hands entries idle longer than WA_STREAM_CLAIM_IDLE_MS to the least busy live worker.");

        public final String path;
        public final boolean confirm;
        public final String label;
        public final String explanation;

        Action(String path, boolean confirm, String label, String explanation) {
            this.path = path;
            this.confirm = confirm;
            this.label = label;
            this.explanation = explanation;
        }

        static Action of(String path) {
            return Arrays.stream(values()).filter(a -> a.path.equals(path)).findFirst()
                    .orElseThrow(() -> new ConsoleException(404, "There is no such console action.", false));
        }
    }

    /**
     * Action route step: 404 for an unknown action, 400 for a malformed dead-letter id; marks an unconfirmed
     * action that needs confirming.
     * Reads: header action, confirm, id. Sets: property WaConsoleNeedsConfirm.
     */
    public void check(Exchange exchange) {
        Action a = Action.of(exchange.getMessage().getHeader("action", String.class));
        if (a == Action.DLQ_REPLAY || a == Action.DLQ_REVEAL) {
            deadLetterId(exchange.getMessage().getHeader("id", String.class));
        }
        boolean confirmed = "yes".equals(exchange.getMessage().getHeader("confirm", String.class));
        exchange.setProperty(NEEDS_CONFIRM, a.confirm && !confirmed);
    }

    /** The admin replay request of one dead letter: {@code {"ids":["<id>"]}}. */
    public String replayOne(String id) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("ids").add(deadLetterId(id));
        return n.toString();
    }

    static String deadLetterId(String id) {
        if (id == null || !STREAM_ID.matcher(id).matches()) {
            throw new ConsoleException(400, "That is not a dead-letter id.", false);
        }
        return id;
    }
}
