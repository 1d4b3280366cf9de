package io.whatsappqueue.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.admin.ChatControls;
import io.whatsappqueue.admin.DeadLetterBrowser;
import io.whatsappqueue.admin.StreamHealth;
import io.whatsappqueue.logging.PhoneMask;
import io.whatsappqueue.logging.SecretValues;
import org.apache.camel.Exchange;
import org.redisson.api.PendingEntry;

/**
 * GET /console/instances/{instance}, and the answer to every action: the instance's health ({@link StreamHealth}),
 * its dead letters as the admin API lists them ({@link DeadLetterBrowser}: numbers masked, text withheld) with
 * replay, reveal and purge, the paused and opted-out chats ({@link ConsoleChats}) with resume, the pending entries
 * with owner and idle time, and the group repairs. Only a dead letter the operator asked to reveal shows its
 * number and text. After an action, its answer's message heads the page.
 */
public final class InstancePage {
    /** Exchange property: the dead-letter id whose number and text this page shows (dlq-reveal). */
    public static final String REVEAL = "WaConsoleReveal";
    static final int DLQ_SHOWN = 50;

    private final StreamHealth health;
    private final DeadLetterBrowser deadLetters;
    private final ConsoleChats chats;
    private final PendingEntries pending;

    public InstancePage(StreamHealth health, DeadLetterBrowser deadLetters, ConsoleChats chats, PendingEntries pending) {
        this.health = health;
        this.deadLetters = deadLetters;
        this.chats = chats;
        this.pending = pending;
    }

    /**
     * Reads: header instance; property WaConsoleSession, WaConsoleReveal; body (an action's JSON answer, or none).
     * Sets: body (HTML); properties WaConsoleType, WaConsoleStatus.
     */
    public void render(Exchange exchange) {
        ConsoleSessions.Session s = exchange.getProperty(ConsoleAccess.SESSION, ConsoleSessions.Session.class);
        String instance = exchange.getMessage().getHeader("instance", String.class);
        JsonNode h = ConsoleOverview.read(health.report(instance));
        instance = h.path("instance").asText();
        String answer = exchange.getMessage().getBody(String.class);
        String reveal = exchange.getProperty(REVEAL, String.class);

        StringBuilder m = new StringBuilder(8192);
        m.append("<h1>").append(Html.esc(instance)).append("</h1>");
        if (answer != null && !answer.isBlank()) {
            m.append("<p class=\"notice\" role=\"status\" id=\"result\">").append(Html.esc(SecretValues.scrub(summary(answer))))
                    .append("</p>");
        }
        health(m, h);
        if (reveal != null) {
            revealed(m, instance, reveal);
        }
        deadLetters(m, instance, s);
        chats(m, instance, s);
        pending(m, instance);
        repairs(m, instance, s);
        ConsolePages.html(exchange, 200, Html.page(instance, s, m.toString(), false));
    }

    /** The sentence an admin answer gives, else its counts. */
    static String summary(String answer) {
        JsonNode a = ConsoleOverview.read(answer);
        if (a.hasNonNull("message")) {
            return a.get("message").asText();
        }
        StringBuilder b = new StringBuilder("Done.");
        a.fields().forEachRemaining(e -> {
            if (e.getKey().endsWith("_count") && e.getValue().isNumber()) {
                b.append(' ').append(e.getKey()).append('=').append(e.getValue().asText());
            }
        });
        return b.toString();
    }

    private static void health(StringBuilder m, JsonNode h) {
        m.append("<section aria-labelledby=\"h-health\"><h2 id=\"h-health\">Health: <span class=\"status-")
                .append(Html.esc(h.path("status").asText())).append("\">").append(Html.esc(h.path("status").asText()))
                .append("</span></h2><dl class=\"facts\">");
        fact(m, "Queue depth", h.path("queue_depth").asText());
        fact(m, "Pending", h.path("pending").asText());
        fact(m, "Live consumers", h.path("consumers_count").asText());
        fact(m, "DLQ depth", h.path("dlq_depth").asText());
        fact(m, "Evolution", h.path("connection_state").asText());
        fact(m, "Sending", h.path("sending_paused").asBoolean()
                ? "paused: " + h.path("sending_pause_reason").asText() : "sending");
        m.append("</dl>");
        if (!h.path("issues").isEmpty()) {
            m.append("<ul class=\"issues\">");
            h.path("issues").forEach(i -> m.append("<li>").append(Html.esc(i.asText())).append("</li>"));
            m.append("</ul>");
        }
        m.append("</section>");
    }

    private static void fact(StringBuilder m, String name, String value) {
        m.append("<div><dt>").append(Html.esc(name)).append("</dt><dd>").append(Html.esc(value)).append("</dd></div>");
    }

    private void revealed(StringBuilder m, String instance, String id) {
        JsonNode page = ConsoleOverview.read(deadLetters.list(instance, "1", id, "true"));
        JsonNode e = page.path("entries").path(0);
        m.append("<section aria-labelledby=\"h-reveal\" class=\"reveal\"><h2 id=\"h-reveal\">Dead letter ")
                .append(Html.esc(id)).append("</h2>");
        if (!id.equals(e.path("id").asText())) {
            m.append("<p>It is no longer in the DLQ.</p></section>");
            return;
        }
        m.append("<dl class=\"facts\">");
        fact(m, "To", e.path("to").asText());
        fact(m, "Text", e.path("text").asText(""));
        fact(m, "Reason", e.path("reason").asText());
        fact(m, "Detail", e.path("error_detail").asText(""));
        m.append("</dl></section>");
    }

    private void deadLetters(StringBuilder m, String instance, ConsoleSessions.Session s) {
        JsonNode page = ConsoleOverview.read(deadLetters.list(instance, String.valueOf(DLQ_SHOWN), null, null));
        long depth = page.path("dlq_depth").asLong();
        m.append("<section aria-labelledby=\"h-dlq\"><h2 id=\"h-dlq\">Dead letters (<span id=\"dlq-depth\">").append(depth)
                .append("</span>)</h2>");
        if (depth == 0) {
            m.append("<p>None.</p></section>");
            return;
        }
        m.append("<div class=\"actions\">")
                .append(Html.button(instance, ConsoleActions.Action.DLQ_REPLAY_ALL, s, Map.of(), "Replay all…", null, ""))
                .append(Html.button(instance, ConsoleActions.Action.DLQ_PURGE, s, Map.of(), "Purge all…", null, "danger"))
                .append("</div>");
        if (depth > DLQ_SHOWN) {
            m.append("<p class=\"muted\">The oldest ").append(DLQ_SHOWN).append(" are shown.</p>");
        }
        m.append("<div class=\"scroll\"><table id=\"dlq\"><caption>Dead letters, oldest first; numbers masked</caption>")
                .append("<thead><tr><th scope=\"col\">Id</th><th scope=\"col\">To</th><th scope=\"col\">Reason</th>")
                .append("<th scope=\"col\">Attempts</th><th scope=\"col\">Failed at</th><th scope=\"col\">Actions</th>")
                .append("</tr></thead><tbody>");
        for (JsonNode e : page.path("entries")) {
            String id = e.path("id").asText();
            m.append("<tr data-id=\"").append(Html.esc(id)).append("\"><td>").append(Html.esc(id)).append("</td><td>")
                    .append(Html.esc(e.path("to").asText("–"))).append("</td><td>").append(Html.esc(e.path("reason").asText()))
                    .append("</td><td>").append(Html.esc(e.path("attempts").asText("–"))).append("</td><td>")
                    .append(Html.esc(e.path("failed_at_iso").asText("–"))).append("</td><td class=\"actions\">");
            if (!e.path("poison").asBoolean()) {
                m.append(Html.button(instance, ConsoleActions.Action.DLQ_REPLAY, s, Map.of("id", id), "Replay",
                        "Replay dead letter " + id, ""));
            }
            m.append(Html.button(instance, ConsoleActions.Action.DLQ_REVEAL, s, Map.of("id", id), "Reveal",
                    "Reveal number and text of dead letter " + id, "quiet")).append("</td></tr>");
        }
        m.append("</tbody></table></div></section>");
    }

    private void chats(StringBuilder m, String instance, ConsoleSessions.Session s) {
        List<ChatControls.PausedChat> paused = chats.paused(instance);
        List<ChatControls.OptedOut> optedOut = chats.optedOut(instance);
        long now = System.currentTimeMillis();
        m.append("<section aria-labelledby=\"h-chats\"><h2 id=\"h-chats\">Paused chats (").append(paused.size())
                .append(")</h2>");
        if (paused.isEmpty()) {
            m.append("<p>None.</p>");
        } else {
            m.append("<ul class=\"rows\" id=\"paused\">");
            for (ChatControls.PausedChat c : paused) {
                String masked = PhoneMask.mask(c.contact());
                m.append("<li><span>").append(Html.esc(masked)).append(" · ").append((c.untilMs() - now) / 60_000 + 1)
                        .append(" min left</span>")
                        .append(Html.button(instance, ConsoleActions.Action.CHAT_RESUME, s,
                                Map.of("ref", ConsoleChats.ref(s, c.contact())), "Resume", "Resume chat " + masked, ""))
                        .append("</li>");
            }
            m.append("</ul>");
        }
        m.append("<h2 id=\"h-optout\">Opted out (").append(optedOut.size()).append(")</h2>");
        if (optedOut.isEmpty()) {
            m.append("<p>None.</p>");
        } else {
            m.append("<ul class=\"rows\" id=\"opted-out\">");
            for (ChatControls.OptedOut c : optedOut) {
                String masked = PhoneMask.mask(c.contact());
                m.append("<li><span>").append(Html.esc(masked)).append(" · since ")
                        .append(Html.esc(Instant.ofEpochMilli(c.sinceMs()).toString())).append("</span>")
                        .append(Html.button(instance, ConsoleActions.Action.CHAT_OPT_IN, s,
                                Map.of("ref", ConsoleChats.ref(s, c.contact())), "Opt in again…", "Opt in " + masked + " again",
                                ""))
                        .append("</li>");
            }
            m.append("</ul>");
        }
        m.append("</section>");
    }

    private void pending(StringBuilder m, String instance) {
        List<PendingEntry> list = pending.oldest(instance);
        m.append("<section aria-labelledby=\"h-pending\"><h2 id=\"h-pending\">Pending entries</h2>");
        if (list.isEmpty()) {
            m.append("<p>None.</p></section>");
            return;
        }
        m.append("<div class=\"scroll\"><table id=\"pending\"><caption>Oldest ").append(PendingEntries.SHOWN)
                .append(" at most</caption><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Owner</th>")
                .append("<th scope=\"col\">Idle (s)</th><th scope=\"col\">Deliveries</th></tr></thead><tbody>");
        for (PendingEntry p : list) {
            m.append("<tr><td>").append(Html.esc(p.getId())).append("</td><td>").append(Html.esc(p.getConsumerName()))
                    .append("</td><td>").append(p.getIdleTime() / 1000).append("</td><td>").append(p.getLastTimeDelivered())
                    .append("</td></tr>");
        }
        m.append("</tbody></table></div></section>");
    }

    private static void repairs(StringBuilder m, String instance, ConsoleSessions.Session s) {
        m.append("<section aria-labelledby=\"h-repair\"><h2 id=\"h-repair\">Repair the consumer group</h2>")
                .append("<p class=\"muted\">Each asks for confirmation first.</p><div class=\"actions\">");
        for (ConsoleActions.Action a : List.of(ConsoleActions.Action.RESET_TO_LATEST, ConsoleActions.Action.RESET_TO_BEGIN,
                ConsoleActions.Action.DESTROY_RECREATE, ConsoleActions.Action.CLAIM)) {
            m.append(Html.button(instance, a, s, Map.of(), a.label + "…", null, ""));
        }
        m.append("</div></section>");
    }
}
