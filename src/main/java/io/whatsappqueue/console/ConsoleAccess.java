package io.whatsappqueue.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.whatsappqueue.admin.AdminAccess;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the console (DESIGN §5: ADMIN_TOKEN holders). The login form's token is compared with ADMIN_TOKEN
 * in constant time ({@link AdminAccess#matches}); a match opens a {@link ConsoleSessions session} whose id goes
 * to the browser in an HttpOnly, SameSite=Strict cookie limited to /console (Secure behind an https proxy:
 * {@code X-Forwarded-Proto: https}). Every state-changing request must carry the session's CSRF token (form
 * field {@code csrf} or header {@code X-CSRF-Token}); without ADMIN_TOKEN every console page answers 403.
 */
public final class ConsoleAccess {
    private static final Logger LOG = LoggerFactory.getLogger("io.whatsappqueue.admin.audit");
    static final String COOKIE = "wa_console";
    /** Exchange properties the route steps set and {@code direct:console-respond} turns into headers. */
    public static final String SESSION = "WaConsoleSession";
    public static final String STATUS = "WaConsoleStatus";
    public static final String SET_COOKIE = "WaConsoleCookie";
    public static final String LOCATION = "WaConsoleLocation";

    private final AdminAccess admin;
    private final ConsoleSessions sessions;

    public ConsoleAccess(AdminAccess admin, ConsoleSessions sessions) {
        this.admin = admin;
        this.sessions = sessions;
    }

    /**
     * First step of every console route: 403 while ADMIN_TOKEN is unset.
     * Reads: nothing. Sets: nothing; throws ConsoleException 403.
     */
    public void enabled(Exchange exchange) {
        if (!admin.enabled()) {
            throw new ConsoleException(403, "The console is disabled because ADMIN_TOKEN is not set. Set ADMIN_TOKEN"
                    + " (6 characters or more) and restart; then log in here with its value.", false);
        }
    }

    /**
     * POST /console/login: opens a session when the form's token is ADMIN_TOKEN, then sends the browser to /console.
     * Reads: header token (form field). Sets: properties WaConsoleCookie, WaConsoleLocation, WaConsoleStatus (303);
     * throws ConsoleException 401 (login form again) on a wrong token.
     */
    public void login(Exchange exchange) {
        enabled(exchange);
        String token = exchange.getMessage().getHeader("token", String.class);
        if (!admin.matches(token)) {
            LOG.warn("console login refused: the token does not match ADMIN_TOKEN");
            throw ConsoleException.loginNeeded("That token does not match ADMIN_TOKEN.");
        }
        ConsoleSessions.Session s = sessions.open();
        LOG.info("console login: session opened for {} minutes", sessions.ttlMinutes());
        exchange.setProperty(SET_COOKIE, cookie(exchange, s.id(), sessions.ttlMinutes() * 60));
        redirect(exchange, "/console");
    }

    /**
     * Every console read (pages, overview.json): the session of the request's cookie.
     * Reads: header Cookie. Sets: property WaConsoleSession; throws ConsoleException 401 (login form) without one.
     */
    public void session(Exchange exchange) {
        enabled(exchange);
        String id = cookieValue(exchange.getMessage().getHeader("Cookie", String.class)).orElse(null);
        ConsoleSessions.Session s = sessions.find(id).orElseThrow(() -> ConsoleException.loginNeeded(id == null
                ? "Log in with ADMIN_TOKEN." : "Your session ended; log in again with ADMIN_TOKEN."));
        exchange.setProperty(SESSION, s);
    }

    /**
     * Every state-changing console request: a session, and its CSRF token in the request.
     * Reads: header Cookie, header csrf (form field) or X-CSRF-Token. Sets: property WaConsoleSession; throws
     * ConsoleException 401 without a session, 403 when the CSRF token is missing or wrong.
     */
    public void change(Exchange exchange) {
        session(exchange);
        ConsoleSessions.Session s = exchange.getProperty(SESSION, ConsoleSessions.Session.class);
        String given = exchange.getMessage().getHeader("csrf", String.class);
        if (given == null) {
            given = exchange.getMessage().getHeader("X-CSRF-Token", String.class);
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                s.csrf().getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("console request refused: missing or wrong CSRF token");
            throw new ConsoleException(403, "This request did not carry the page's CSRF token, so it was refused."
                    + " Reload the page and try again.", false);
        }
    }

    /**
     * POST /console/logout: ends the session everywhere and clears the cookie.
     * Reads: as {@link #change}. Sets: properties WaConsoleCookie (expired), WaConsoleLocation, WaConsoleStatus.
     */
    public void logout(Exchange exchange) {
        change(exchange);
        sessions.close(exchange.getProperty(SESSION, ConsoleSessions.Session.class).id());
        exchange.removeProperty(SESSION);
        LOG.info("console logout: session closed");
        exchange.setProperty(SET_COOKIE, cookie(exchange, "", 0));
        redirect(exchange, "/console");
    }

    private static void redirect(Exchange exchange, String location) {
        exchange.setProperty(LOCATION, location);
        exchange.setProperty(STATUS, 303);
        exchange.getMessage().setBody("");
    }

    private static String cookie(Exchange exchange, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(exchange.getMessage().getHeader("X-Forwarded-Proto", "", String.class).trim());
        return COOKIE + "=" + value + "; Path=/console; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (https ? "; Secure" : "");
    }

    static Optional<String> cookieValue(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                String v = p.substring(COOKIE.length() + 1);
                return v.isEmpty() ? Optional.empty() : Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
