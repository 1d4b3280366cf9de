package io.whatsappqueue.console;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.admin.AdminException;
import org.apache.camel.Exchange;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's pages that are not about one instance: the login form, the overview of every instance (filled
 * in here, then kept fresh by console.js from overview.json), the confirmation step of an action, and the error
 * page every refusal becomes. Each sets the body and the properties WaConsoleType and WaConsoleStatus, which
 * {@code direct:console-respond} turns into headers next to the Content-Security-Policy.
 */
public final class ConsolePages {
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePages.class);
    public static final String TYPE = "WaConsoleType";
    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json";

    private final ConsoleOverview overview;

    public ConsolePages(ConsoleOverview overview) {
        this.overview = overview;
    }

    /**
     * GET /console: the overview table of every instance.
     * Reads: property WaConsoleSession. Sets: body (HTML); property WaConsoleType.
     */
    public void overview(Exchange exchange) {
        ConsoleSessions.Session s = exchange.getProperty(ConsoleAccess.SESSION, ConsoleSessions.Session.class);
        JsonNode o = overview.tree();
        StringBuilder m = new StringBuilder(4096);
        m.append("<h1>Instances</h1><p class=\"muted\">Refreshes every few seconds. Last update: <span id=\"updated\">")
                .append(Html.esc(o.path("at").asText())).append("</span></p>")
                .append("<div class=\"scroll\"><table id=\"overview\"><caption>Every served instance</caption><thead><tr>")
                .append("<th scope=\"col\">Instance</th><th scope=\"col\">Status</th><th scope=\"col\">Queue</th>")
                .append("<th scope=\"col\">Pending</th><th scope=\"col\">Live consumers</th><th scope=\"col\">DLQ</th>")
                .append("<th scope=\"col\">Scheduled</th><th scope=\"col\">Sending</th><th scope=\"col\">Evolution</th>")
                .append("<th scope=\"col\">Sent / min</th></tr></thead><tbody>");
        for (JsonNode i : o.path("instances")) {
            String name = i.path("instance").asText();
            m.append("<tr data-instance=\"").append(Html.esc(name)).append("\"><th scope=\"row\"><a href=\"/console/instances/")
                    .append(Html.esc(name)).append("\">").append(Html.esc(name)).append("</a></th>")
                    .append(cell("status", i.path("status").asText(), "status-" + i.path("status").asText()))
                    .append(cell("queue_depth", i.path("queue_depth").asText(), null))
                    .append(cell("pending", i.path("pending").asText(), null))
                    .append(cell("consumers", i.path("consumers").asText(), null))
                    .append(cell("dlq_depth", i.path("dlq_depth").asText(), null))
                    .append(cell("scheduled", i.path("scheduled").asText(), null))
                    .append(cell("sending", sending(i), i.path("sending_paused").asBoolean() ? "warn" : null))
                    .append(cell("connection_state", i.path("connection_state").asText(), null))
                    .append(cell("sent_per_minute", i.path("sent_per_minute").asText(), null))
                    .append("</tr>");
        }
        m.append("</tbody></table></div><p class=\"muted\">Sent / min counts the sends of this process's worker.</p>");
        html(exchange, 200, Html.page("Overview", s, m.toString(), true));
    }

    /** "sending", or "paused: <reason>", as console.js shows it too. */
    static String sending(JsonNode i) {
        return i.path("sending_paused").asBoolean() ? "paused: " + i.path("pause_reason").asText() : "sending";
    }

    private static String cell(String field, String value, String css) {
        return "<td data-field=\"" + field + "\"" + (css == null ? "" : " class=\"" + Html.esc(css) + "\"") + ">"
                + Html.esc(value) + "</td>";
    }

    /**
     * The first POST of an action that needs confirming: what it does and a button that repeats it with confirm=yes.
     * Reads: headers instance, action, id, ref; property WaConsoleSession. Sets: body (HTML); property WaConsoleType.
     */
    public void confirm(Exchange exchange) {
        ConsoleSessions.Session s = exchange.getProperty(ConsoleAccess.SESSION, ConsoleSessions.Session.class);
        String instance = exchange.getMessage().getHeader("instance", String.class);
        ConsoleActions.Action a = ConsoleActions.Action.of(exchange.getMessage().getHeader("action", String.class));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("confirm", "yes");
        for (String f : new String[] {"id", "ref"}) {
            String v = exchange.getMessage().getHeader(f, String.class);
            if (v != null) {
                fields.put(f, v);
            }
        }
        String m = "<h1>Confirm: " + Html.esc(a.label) + " on " + Html.esc(instance) + "</h1><p role=\"alert\">"
                + Html.esc(a.explanation) + "</p><div class=\"actions\">"
                + Html.button(instance, a, s, fields, "Yes: " + a.label, null, "danger")
                + "<a class=\"cancel\" href=\"/console/instances/" + Html.esc(instance) + "\">Cancel</a></div>";
        html(exchange, 200, Html.page("Confirm", s, m, false));
    }

    /**
     * onException step of every console route: the login form (no session, wrong token), or a page naming what
     * went wrong with its status; JSON for overview.json. Never the exception's internals.
     * Reads: property CamelExceptionCaught; the route id. Sets: body; properties WaConsoleType, WaConsoleStatus.
     */
    public void error(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String message;
        boolean login = false;
        ConsoleException console = find(cause, ConsoleException.class);
        AdminException admin = find(cause, AdminException.class);
        if (console != null) {
            status = console.status();
            message = console.getMessage();
            login = console.login();
        } else if (admin != null) {
            status = admin.status();
            message = admin.getMessage();
        } else if (find(cause, RedisException.class) != null) {
            status = 503;
            message = "Redis did not answer; the action's outcome is unknown. Look at the instance page before retrying.";
            LOG.error("console request failed on Redis: route={}", exchange.getFromRouteId());
        } else {
            status = 500;
            message = "The console request failed unexpectedly; the log has the detail.";
            LOG.error("console request failed: route={}", exchange.getFromRouteId(), cause);
        }
        if ("console-overview-json".equals(exchange.getFromRouteId())) {
            exchange.setProperty(TYPE, JSON);
            exchange.setProperty(ConsoleAccess.STATUS, status);
            exchange.getMessage().setBody("{\"error\":" + (login ? "\"login_required\"" : "\"console_error\"")
                    + ",\"message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(message) + "}");
            return;
        }
        if (login) {
            html(exchange, status, login(message));
            return;
        }
        String back = exchange.getMessage().getHeader("instance", String.class);
        String link = back == null || status == 403 && !exchange.getFromRouteId().startsWith("console-action")
                ? "/console" : "/console/instances/" + back;
        html(exchange, status, Html.page("Error", null, "<h1>" + status + "</h1><p role=\"alert\">" + Html.esc(message)
                + "</p><p><a href=\"" + Html.esc(link) + "\">Back</a></p>", false));
    }

    static String login(String message) {
        return Html.page("Log in", null, "<h1>Log in</h1>" + (message == null ? ""
                : "<p class=\"notice\" role=\"alert\" id=\"login-message\">" + Html.esc(message) + "</p>")
                + "<form method=\"post\" action=\"/console/login\" class=\"login\"><label for=\"token\">Admin token"
                + " (ADMIN_TOKEN)</label><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\""
                + " required autofocus><button type=\"submit\">Log in</button></form>", false);
    }

    static void html(Exchange exchange, int status, String page) {
        exchange.setProperty(TYPE, HTML);
        exchange.setProperty(ConsoleAccess.STATUS, status);
        exchange.getMessage().setBody(page);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
