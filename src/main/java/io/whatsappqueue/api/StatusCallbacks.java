package io.whatsappqueue.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The status-callback route's step (routes/status-callbacks.camel.yaml, DESIGN §9): the outbox entry's JSON becomes
 * the POST body, byte for byte as written, signed {@code X-Signature: sha256=<hex HMAC-SHA256(body,
 * WA_STATUS_CALLBACK_SECRET)>} so the receiver can check it came from us and was not altered.
 */
public final class StatusCallbacks {
    public static final String SIGNATURE_HEADER = "X-Signature";
    private static final String HMAC = "HmacSHA256";

    private final byte[] secret;

    public StatusCallbacks(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Route step: body (the entry's payload) as UTF-8 bytes, Content-Type, X-Signature and POST. */
    public void prepare(Exchange exchange) {
        Message m = exchange.getMessage();
        byte[] body = m.getBody(String.class).getBytes(StandardCharsets.UTF_8);
        m.setBody(body);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(SIGNATURE_HEADER, "sha256=" + sign(body));
    }

    /** Hex HMAC-SHA256 of {@code body} with the secret. */
    public String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            // HMAC takes any key length, but the JDK refuses an empty one: an unset secret signs with one zero byte
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, HMAC));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
