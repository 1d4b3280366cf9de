package io.whatsappqueue.evolution;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookAuthenticatorTest {

    private static final String SECRET = "E3A1C9F2-6B4D-4F0E-8A7C-2D5B9E1F3C60";
    private static final Instant NOW = Instant.parse("2025-10-21T14:20:00Z");

    private final WebhookAuthenticator authenticator =
            new WebhookAuthenticator(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    /** The token Evolution's jwt_key option sends: iat, exp = iat + 600, app, action. */
    private static JWTCreator.Builder evolutionClaims(Instant issuedAt) {
        return JWT.create()
                .withIssuedAt(issuedAt)
                .withExpiresAt(issuedAt.plusSeconds(600))
                .withClaim("app", "evolution")
                .withClaim("action", "webhook");
    }

    private static String bearer(String jwt) {
        return "Bearer " + jwt;
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertDenied(String reason, String token, String authorization) {
        AuthResult result = authenticator.check(token, authorization);
        assertFalse(result.isOk(), result::toString);
        assertEquals(reason, result.reason());
    }

    @Test
    void withoutASecretTheWebhookIsOpen() {
        for (String secret : new String[] {null, "", "   "}) {
            WebhookAuthenticator open = new WebhookAuthenticator(secret);
            assertTrue(open.isOpen());
            assertTrue(open.check(null, null).isOk());
            assertTrue(open.check("anything", "Bearer junk").isOk());
        }
        assertFalse(authenticator.isOpen());
    }

    @Test
    void requestWithoutCredentialsIsDenied() {
        assertDenied(AuthResult.MISSING_CREDENTIALS, null, null);
        assertDenied(AuthResult.MISSING_CREDENTIALS, "", " ");
    }

    @Test
    void matchingTokenHeaderIsAccepted() {
        assertTrue(authenticator.check(SECRET, null).isOk());
    }

    @Test
    void wrongTokenHeaderIsDenied() {
        assertDenied(AuthResult.BAD_TOKEN, SECRET.toLowerCase(), null);
        assertDenied(AuthResult.BAD_TOKEN, SECRET + " ", null);
        assertDenied(AuthResult.BAD_TOKEN, SECRET.substring(1), null);
        assertDenied(AuthResult.BAD_TOKEN, "x", null);
    }

    @Test
    void evolutionJwtSignedWithTheSecretIsAccepted() {
        String jwt = evolutionClaims(NOW.minusSeconds(5)).sign(Algorithm.HMAC256(SECRET));
        assertTrue(authenticator.check(null, bearer(jwt)).isOk());
        assertTrue(authenticator.check(null, "bearer  " + jwt + " ").isOk());
    }

    @Test
    void validJwtIsEnoughEvenWhenAStaleTokenHeaderIsAlsoSent() {
        String jwt = evolutionClaims(NOW).sign(Algorithm.HMAC256(SECRET));
        assertTrue(authenticator.check("old-token", bearer(jwt)).isOk());
    }

    @Test
    void expiredJwtIsDenied() {
        String jwt = evolutionClaims(NOW.minusSeconds(700)).sign(Algorithm.HMAC256(SECRET));
        assertDenied(AuthResult.EXPIRED, null, bearer(jwt));
    }

    @Test
    void jwtExpiredWithinTheClockSkewIsStillAccepted() {
        String jwt = evolutionClaims(NOW.minusSeconds(620)).sign(Algorithm.HMAC256(SECRET));
        assertTrue(authenticator.check(null, bearer(jwt)).isOk());
    }

    @Test
    void jwtSignedWithAnotherSecretIsDenied() {
        String jwt = evolutionClaims(NOW).sign(Algorithm.HMAC256("another-secret"));
        assertDenied(AuthResult.BAD_SIGNATURE, null, bearer(jwt));
    }

    @Test
    void jwtWithAlgorithmNoneIsDenied() {
        assertDenied(AuthResult.BAD_SIGNATURE, null, bearer(evolutionClaims(NOW).sign(Algorithm.none())));
        String unsigned = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + base64Url("{\"iat\":" + NOW.getEpochSecond() + ",\"exp\":" + (NOW.getEpochSecond() + 600)
                + ",\"app\":\"evolution\",\"action\":\"webhook\"}") + ".";
        assertDenied(AuthResult.BAD_SIGNATURE, null, bearer(unsigned));
    }

    @Test
    void jwtWithAnotherHmacAlgorithmIsDenied() {
        assertDenied(AuthResult.BAD_SIGNATURE, null, bearer(evolutionClaims(NOW).sign(Algorithm.HMAC512(SECRET))));
    }

    @Test
    void jwtWithoutExpiryIsDenied() {
        String jwt = JWT.create().withIssuedAt(NOW).withClaim("app", "evolution").sign(Algorithm.HMAC256(SECRET));
        assertDenied(AuthResult.BAD_TOKEN, null, bearer(jwt));
    }

    @Test
    void jwtIssuedInTheFutureIsDenied() {
        String jwt = evolutionClaims(NOW.plusSeconds(3600)).sign(Algorithm.HMAC256(SECRET));
        assertDenied(AuthResult.BAD_TOKEN, null, bearer(jwt));
    }

    @Test
    void malformedAuthorizationIsDenied() {
        assertDenied(AuthResult.BAD_TOKEN, null, "Bearer not.a.jwt");
        assertDenied(AuthResult.BAD_TOKEN, null, "Bearer ");
        assertDenied(AuthResult.BAD_TOKEN, null, "Basic " + base64Url("user:" + SECRET));
        assertDenied(AuthResult.BAD_TOKEN, null, SECRET);
    }

    @Test
    void wrongTokenAndBadJwtReportTheJwtProblem() {
        String jwt = evolutionClaims(NOW.minusSeconds(3600)).sign(Algorithm.HMAC256(SECRET));
        assertDenied(AuthResult.EXPIRED, "wrong", bearer(jwt));
    }
}
