package io.whatsappqueue.inbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpServerRequest;

import io.whatsappqueue.evolution.AuthResult;
import io.whatsappqueue.evolution.RejectReason;
import io.whatsappqueue.evolution.WebhookAuthenticator;
import io.whatsappqueue.evolution.WebhookDecision;
import io.whatsappqueue.evolution.WebhookEventParser;
import io.whatsappqueue.stream.InstanceSource;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The webhook's checks, in the order the route runs them: method and path, credentials, then the body
 * (DESIGN §4). Each check that fails throws {@link WebhookRejected}; the route configuration answers it.
 */
public final class WebhookIntake {
    public static final String BASE_PATH = "/webhooks/evolution";
    /** {@link WebhookDecision} of the body. */
    public static final String DECISION = "WaDecision";
    /** The decision's kind as text, for the route's choice: QUEUE, IGNORE, CONNECTION. */
    public static final String KIND = "WaDecisionKind";
    /** True for our side's message in a 1:1 chat: staff may have answered from the phone. */
    public static final String FROM_ME_IN_CHAT = "WaFromMeInChat";
    /** Epoch milliseconds the request arrived. */
    public static final String RECEIVED_AT = "WaReceivedAt";
    /** The request body as it streams in ({@link WebhookBodyStream}); absent when the body is already in memory. */
    private static final String BODY = "WaWebhookBody";

    /** An instance name or an event suffix ({@code messages-upsert}); anything else is not a path of ours. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_SEGMENTS = 2;

    private final WebhookAuthenticator authenticator;
    private final WebhookEventParser parser;
    private final InstanceSource instances;
    private final long maxMessageAgeSeconds;
    private final long maxBodyBytes;

    /**
     * @param instances    asked on every request, so an instance added or removed at run time counts at once
     * @param maxBodyBytes WA_WEBHOOK_MAX_BODY_BYTES: larger bodies are answered 422 payload_too_large
     * @param bareMediaWork WA_NON_TEXT_REPLY is set: media without text is queued for its answer, not ignored
     */
    public WebhookIntake(WebhookAuthenticator authenticator, InstanceSource instances, long maxMessageAgeSeconds,
                         long maxBodyBytes, boolean bareMediaWork) {
        this.parser = new WebhookEventParser(bareMediaWork);
        this.authenticator = authenticator;
        this.instances = instances;
        this.maxMessageAgeSeconds = maxMessageAgeSeconds;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Route step: POST to {@code /webhooks/evolution} with at most two more segments (an instance name as the
     * previous system used, and/or Evolution's by-events suffix). The segments are not used: the body's
     * instance is authoritative. Empty segments are tolerated ({@code //messages-upsert} comes from a base
     * URL ending in a slash).
     * Reads: body (the unread request), header CamelHttpMethod, CamelHttpPath, Content-Length. Sets: property
     * WaReceivedAt, WaWebhookBody; throws WebhookRejected.
     */
    public void checkRequest(Exchange exchange) {
        exchange.setProperty(RECEIVED_AT, exchange.getClock().getCreated());
        if (exchange.getMessage().getBody() instanceof HttpServerRequest request) {
            WebhookBodyStream body = new WebhookBodyStream(request, maxBodyBytes);
            exchange.setProperty(BODY, body);
            // whatever the answer, the unread rest of the body is drained after it (not before: no waiting)
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    body.discardRest();
                }
            });
        }
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!"POST".equals(method)) {
            throw new WebhookRejected(405, "method_not_allowed", "Use POST to deliver webhook events.", null);
        }
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        if (!validPath(path)) {
            throw new WebhookRejected(404, "not_found", "No such webhook path; use " + BASE_PATH
                    + "[/<instance>][/<event>].", null);
        }
        Long declared = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBodyBytes) {
            throw tooLarge();    // said before a byte of it is read
        }
    }

    /**
     * Route step: X-Webhook-Token, or Authorization: Bearer &lt;HS256 JWT signed with WEBHOOK_TOKEN&gt;.
     * Reads: header X-Webhook-Token, Authorization. Sets: nothing; throws WebhookRejected 401.
     */
    public void authenticate(Exchange exchange) {
        AuthResult auth = authenticator.check(exchange.getMessage().getHeader("X-Webhook-Token", String.class),
                exchange.getMessage().getHeader("Authorization", String.class));
        if (!auth.isOk()) {
            throw new WebhookRejected(401, "unauthorized", "Missing or invalid credentials (" + auth.reason()
                    + "): send X-Webhook-Token or an Authorization Bearer JWT signed with WEBHOOK_TOKEN.", null);
        }
    }

    /**
     * Route step: parses the body into a decision (properties {@value #DECISION} and {@value #KIND}) as it
     * streams in (platform-http's {@code useBodyHandler=false} hands over the request unread), so inline media
     * is skipped without ever being held in memory, and a body over WA_WEBHOOK_MAX_BODY_BYTES stops at the limit.
     * Reads: property WaWebhookBody (the request, streamed). Sets: property WaDecision, WaDecisionKind,
     * WaFromMeInChat; throws WebhookRejected.
     */
    public void parse(Exchange exchange) {
        WebhookDecision d;
        try (InputStream body = body(exchange)) {
            d = parser.parse(body, instances.instances(), System.currentTimeMillis() / 1000, maxMessageAgeSeconds);
        } catch (WebhookBodyStream.TooLarge e) {
            throw tooLarge();
        } catch (IOException e) {
            // the client stopped sending or went away mid-body: 408, so Evolution sends the event again
            throw new WebhookRejected(408, "request_timeout", "The request body did not arrive in full ("
                    + e.getMessage() + "); nothing was kept.", null);
        }
        if (d.kind() == WebhookDecision.Kind.REJECT) {
            throw new WebhookRejected(d.httpStatus(), d.errorCode(), d.message(), null);
        }
        exchange.setProperty(DECISION, d);
        exchange.setProperty(KIND, d.kind().name());
        exchange.setProperty(FROM_ME_IN_CHAT, d.kind() == WebhookDecision.Kind.IGNORE
                && Boolean.TRUE.equals(d.fromMe()) && d.contactId() != null && d.messageKeyId() != null);
    }

    private InputStream body(Exchange exchange) throws IOException {
        WebhookBodyStream streaming = exchange.getProperty(BODY, WebhookBodyStream.class);
        if (streaming != null) {
            return streaming;
        }
        // a body already in memory (not over HTTP): the same limit
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        if (bytes != null && bytes.length > maxBodyBytes) {
            throw new WebhookBodyStream.TooLarge(maxBodyBytes);
        }
        return new ByteArrayInputStream(bytes == null ? new byte[0] : bytes);
    }

    private WebhookRejected tooLarge() {
        return new WebhookRejected(RejectReason.PAYLOAD_TOO_LARGE.httpStatus(), RejectReason.PAYLOAD_TOO_LARGE.code(),
                "The request body is larger than " + maxBodyBytes
                + " bytes (WA_WEBHOOK_MAX_BODY_BYTES); turn off the webhook's base64 option in Evolution, or raise"
                + " the limit.", null);
    }

    static boolean validPath(String path) {
        if (path == null) {
            return false;
        }
        int query = path.indexOf('?');
        String p = query < 0 ? path : path.substring(0, query);
        if (!p.startsWith(BASE_PATH)) {
            return false;
        }
        String rest = p.substring(BASE_PATH.length());
        if (rest.isEmpty()) {
            return true;
        }
        if (rest.charAt(0) != '/') {
            return false;          // /webhooks/evolutionX
        }
        int segments = 0;
        for (String s : rest.split("/")) {
            if (s.isEmpty()) {
                continue;
            }
            if (++segments > MAX_SEGMENTS || !SEGMENT.matcher(s).matches()) {
                return false;
            }
        }
        return true;
    }
}
