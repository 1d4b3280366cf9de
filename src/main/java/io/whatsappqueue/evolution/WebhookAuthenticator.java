package io.whatsappqueue.evolution;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Locale;

/**
 * Checks that a webhook request comes from our Evolution instance, which can prove it in two ways
 * (EVOLUTION_API §1.2): a static header from the per-instance {@code headers} setting,
 * {@code X-Webhook-Token: <secret>}, or, with {@code jwt_key}, {@code Authorization: Bearer <jwt>} where the
 * JWT is HS256-signed with the secret and expires ten minutes after it was issued.
 *
 * <p>A null or blank secret means the webhook is open and every request is accepted; the caller should
 * warn about that once at start-up ({@link #isOpen()}).
 *
 * <p>Thread-safe.
 */
public final class WebhookAuthenticator {

    /** Tolerated difference between Evolution's clock and ours when checking {@code exp} and {@code iat}. */
    public static final long CLOCK_SKEW_SECONDS = 30;

    private static final String BEARER = "bearer ";

    private final byte[] secretDigest;
    private final JWTVerifier jwtVerifier;

    public WebhookAuthenticator(String secret) {
        this(secret, Clock.systemUTC());
    }

    /** @param clock the time used for JWT expiry; tests pass a fixed clock */
    public WebhookAuthenticator(String secret, Clock clock) {
        if (secret == null || secret.isBlank()) {
            this.secretDigest = null;
            this.jwtVerifier = null;
        } else {
            this.secretDigest = sha256(secret);
            this.jwtVerifier = ((JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(secret))
                    .acceptLeeway(CLOCK_SKEW_SECONDS)
                    // A token without exp would stay valid forever if it leaked; Evolution always sets it.
                    .withClaimPresence("exp"))
                    .build(clock);
        }
    }

    /** True when no secret is configured and every request is accepted. */
    public boolean isOpen() {
        return secretDigest == null;
    }

    /**
     * Accepts the request when either credential is valid. When neither is, the reason refers to the bearer
     * token if one was sent, else to the header token.
     *
     * @param xWebhookTokenHeader the {@code X-Webhook-Token} header value, or null
     * @param authorizationHeader the {@code Authorization} header value, or null
     */
    public AuthResult check(String xWebhookTokenHeader, String authorizationHeader) {
        if (isOpen()) {
            return AuthResult.ok();
        }
        boolean hasToken = xWebhookTokenHeader != null && !xWebhookTokenHeader.isEmpty();
        boolean hasAuthorization = authorizationHeader != null && !authorizationHeader.isBlank();
        if (!hasToken && !hasAuthorization) {
            return AuthResult.denied(AuthResult.MISSING_CREDENTIALS);
        }
        if (hasToken && tokenMatches(xWebhookTokenHeader)) {
            return AuthResult.ok();
        }
        if (hasAuthorization) {
            return checkBearer(authorizationHeader.strip());
        }
        return AuthResult.denied(AuthResult.BAD_TOKEN);
    }

    /**
     * Compares digests rather than the strings: {@link MessageDigest#isEqual} takes the same time for any
     * content of equal length, and equal-length digests keep the secret's length from leaking too.
     */
    private boolean tokenMatches(String token) {
        return MessageDigest.isEqual(sha256(token), secretDigest);
    }

    private AuthResult checkBearer(String authorization) {
        if (!authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return AuthResult.denied(AuthResult.BAD_TOKEN);
        }
        String jwt = authorization.substring(BEARER.length()).strip();
        if (jwt.isEmpty()) {
            return AuthResult.denied(AuthResult.BAD_TOKEN);
        }
        try {
            jwtVerifier.verify(jwt);
            return AuthResult.ok();
        } catch (TokenExpiredException e) {
            return AuthResult.denied(AuthResult.EXPIRED);
        } catch (SignatureVerificationException | AlgorithmMismatchException e) {
            // A wrong secret, or another algorithm (including "none"), is a forgery attempt or a misconfiguration.
            return AuthResult.denied(AuthResult.BAD_SIGNATURE);
        } catch (JWTVerificationException e) {
            // Undecodable, missing exp, issued in the future, ...
            return AuthResult.denied(AuthResult.BAD_TOKEN);
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }
}
