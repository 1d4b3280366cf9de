package io.whatsappqueue.console;

import java.util.Map;

/**
 * The console's HTML pieces: escaping, the page frame (same-origin stylesheet and script only, so the strict
 * Content-Security-Policy holds: no inline script or style anywhere) and the POST forms every button is.
 */
final class Html {
    private Html() {
    }

    /** Text or attribute value made safe for HTML. */
    static String esc(Object value) {
        String s = value == null ? "" : String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A whole page; {@code session} null: no logout button. {@code script}: load console.js (the overview). */
    static String page(String title, ConsoleSessions.Session session, String main, boolean script) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · whatsapp-queue</title>")
                .append("<link rel=\"stylesheet\" href=\"/console/console.css\"></head><body>")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
                .append("<header class=\"bar\"><a class=\"brand\" href=\"/console\">whatsapp-queue console</a>");
        if (session != null) {
            b.append("<nav aria-label=\"Session\"><a href=\"/console\">Overview</a>")
                    .append("<form method=\"post\" action=\"/console/logout\">").append(csrf(session))
                    .append("<button type=\"submit\">Log out</button></form></nav>");
        }
        b.append("</header><main id=\"main\" tabindex=\"-1\">").append(main).append("</main>");
        if (script) {
            b.append("<script src=\"/console/console.js\"></script>");
        }
        return b.append("</body></html>\n").toString();
    }

    static String csrf(ConsoleSessions.Session session) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(session.csrf()) + "\">";
    }

    /** One button ({@code aria}: its name for screen readers, or null) that POSTs an action of {@code instance} with {@code fields} and the session's CSRF token. */
    static String button(String instance, ConsoleActions.Action action, ConsoleSessions.Session session,
                         Map<String, String> fields, String label, String aria, String css) {
        StringBuilder b = new StringBuilder(256);
        b.append("<form class=\"inline\" method=\"post\" action=\"/console/instances/").append(esc(instance)).append('/')
                .append(action.path).append("\">").append(csrf(session));
        fields.forEach((k, v) -> b.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"")
                .append(esc(v)).append("\">"));
        b.append("<button type=\"submit\" class=\"").append(css).append('"');
        if (aria != null) {
            b.append(" aria-label=\"").append(esc(aria)).append('"');
        }
        return b.append('>').append(esc(label))
                .append("</button></form>").toString();
    }
}
