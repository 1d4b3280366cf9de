package io.whatsappqueue.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.apache.camel.Exchange;

/**
 * Who may call {@code /admin/*} (DESIGN §5), and, built with {@link #forApi}, {@code /api/*} (DESIGN §9: API_TOKEN;
 * unset, every call answers 403 naming it). With ADMIN_TOKEN set, every call needs
 * {@code Authorization: Bearer <ADMIN_TOKEN>}; without it only the health check answers, so a deployment
 * that forgot the token cannot be steered by anyone who finds it (the previous system's admin API was open).
 */
public final class AdminAccess {
    private static final String BEARER = "bearer ";

    private final byte[] tokenDigest;
    /** The variable holding the token, named in every refusal. */
    private final String variable;

    /** {@code adminToken} null or blank: admin actions are disabled. */
    public AdminAccess(String adminToken) {
        this(adminToken, "ADMIN_TOKEN");
    }

    private AdminAccess(String token, String variable) {
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token);
        this.variable = variable;
    }

    /** Access to the clinic systems' API ({@code /api/*}) with API_TOKEN. */
    public static AdminAccess forApi(String apiToken) {
        return new AdminAccess(apiToken, "API_TOKEN");
    }

    /** Route step of every /api call: 403 naming API_TOKEN when it is unset, else the bearer token is required. */
    public void apiCall(Exchange exchange) {
        if (tokenDigest == null) {
            throw new AdminException(403, "api_disabled", "The API is disabled because API_TOKEN is not set;"
                    + " set API_TOKEN and call with 'Authorization: Bearer <API_TOKEN>'.");
        }
        requireBearer(exchange);
    }

    /**
     * Route step of GET /admin/streams/health: open without ADMIN_TOKEN, else like every admin call.
     * Reads: header Authorization (only when ADMIN_TOKEN is set). Sets: nothing; throws AdminException 401.
     */
    public void healthCall(Exchange exchange) {
        if (tokenDigest != null) {
            requireBearer(exchange);
        }
    }

    /**
     * Route step of every other admin call.
     * Reads: header Authorization. Sets: nothing; throws AdminException (401/403) unless it carries ADMIN_TOKEN.
     */
    public void adminCall(Exchange exchange) {
        if (tokenDigest == null) {
            throw new AdminException(403, "admin_disabled", "Admin actions are disabled because ADMIN_TOKEN is not set;"
                    + " set ADMIN_TOKEN and call with 'Authorization: Bearer <ADMIN_TOKEN>'."
                    + " Only GET /admin/streams/health answers without it.");
        }
        requireBearer(exchange);
    }

    /**
     * True when ADMIN_TOKEN is set and {@code token} is it, compared in constant time (the console's login form).
     */
    public boolean matches(String token) {
        return tokenDigest != null && token != null && MessageDigest.isEqual(sha256(token.trim()), tokenDigest);
    }

    /** False when ADMIN_TOKEN is unset: admin actions, and so the console, are disabled. */
    public boolean enabled() {
        return tokenDigest != null;
    }

    private void requireBearer(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new AdminException(401, "unauthorized",
                    "This call needs the header 'Authorization: Bearer <" + variable + ">'.");
        }
        // digests have equal length, so the comparison time says nothing about the token
        byte[] given = sha256(header.substring(BEARER.length()).trim());
        if (!MessageDigest.isEqual(given, tokenDigest)) {
            throw new AdminException(401, "unauthorized", "The bearer token does not match " + variable + ".");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
