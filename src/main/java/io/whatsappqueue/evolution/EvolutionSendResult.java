package io.whatsappqueue.evolution;

import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * Classifies Evolution's answer to sendText (EVOLUTION_API.md §5.3, §5.4). Only 2xx is success; the
 * accepted message's {@code key.id} is kept in property {@value #PROVIDER_ID}. Anything else throws an
 * {@link EvolutionFailure} whose kind decides dead letter, retry, or pause.
 */
public final class EvolutionSendResult {
    public static final String PROVIDER_ID = "WaProviderMessageId";
    public static final String HTTP_STATUS = "WaHttpStatus";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRANSIENT_TEXT = Pattern.compile(
            "connection closed|timed out|connection failure|rate-overlimit|not connected|socket", Pattern.CASE_INSENSITIVE);
    private static final Pattern DISCONNECTED_TEXT = Pattern.compile(
            "connection closed|not connected|connection failure", Pattern.CASE_INSENSITIVE);

    /**
     * Route step after the HTTP call (made with throwExceptionOnFailure=false).
     * Reads: header CamelHttpResponseCode; body (Evolution's answer). Sets: property WaHttpStatus,
     * WaProviderMessageId; throws on a failure.
     */
    public void check(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        exchange.setProperty(HTTP_STATUS, status);
        String providerId = classify(status, body);
        exchange.setProperty(PROVIDER_ID, providerId);
    }

    /** Returns the provider message id on success (may be empty), throws otherwise. */
    public static String classify(int status, String body) {
        JsonNode json = parse(body);
        if (status >= 200 && status < 300) {
            return json.path("key").path("id").asText("");
        }
        String text = message(json, body);
        if (status >= 300 && status < 400) {
            throw EvolutionFailure.of(EvolutionFailure.Kind.CONFIGURATION, "redirect", status,
                    "Evolution answered with a redirect; set EVOLUTION_SERVER_URL to the final URL (e.g. https)");
        }
        if (status == 401 || status == 403) {
            throw EvolutionFailure.of(EvolutionFailure.Kind.CONFIGURATION, "unauthorized", status,
                    "Evolution refused EVOLUTION_API_KEY");
        }
        if (status == 400) {
            if (notOnWhatsApp(json)) {
                throw EvolutionFailure.of(EvolutionFailure.Kind.PERMANENT, "number_not_on_whatsapp", status, text);
            }
            if (DISCONNECTED_TEXT.matcher(text).find()) {
                throw EvolutionFailure.of(EvolutionFailure.Kind.DISCONNECTED, "whatsapp_disconnected", status, text);
            }
            if (TRANSIENT_TEXT.matcher(text).find()) {
                throw EvolutionFailure.of(EvolutionFailure.Kind.TRANSIENT, "send_failed_in_whatsapp", status, text);
            }
            throw EvolutionFailure.of(EvolutionFailure.Kind.PERMANENT, "invalid_request", status, text);
        }
        if (status == 404) {
            if (text.toLowerCase(Locale.ROOT).contains("group not found")) {
                throw EvolutionFailure.of(EvolutionFailure.Kind.TRANSIENT, "group_not_found", status, text);
            }
            throw EvolutionFailure.of(EvolutionFailure.Kind.PERMANENT, "instance_not_found", status, text);
        }
        if (status >= 500 && DISCONNECTED_TEXT.matcher(text).find()) {
            throw EvolutionFailure.of(EvolutionFailure.Kind.DISCONNECTED, "whatsapp_disconnected", status, text);
        }
        throw EvolutionFailure.of(EvolutionFailure.Kind.TRANSIENT, "evolution_error", status, text);
    }

    private static boolean notOnWhatsApp(JsonNode json) {
        JsonNode m = json.path("response").path("message");
        if (m.isArray()) {
            for (JsonNode item : m) {
                if (item.isObject() && item.path("exists").isBoolean() && !item.get("exists").asBoolean()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String message(JsonNode json, String body) {
        JsonNode m = json.path("response").path("message");
        String s = m.isMissingNode() || m.isNull() ? (body == null ? "" : body) : m.toString();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // not JSON (a proxy's HTML error page, say): classified by status alone, text kept for the reason
            return JSON.createObjectNode();
        }
    }
}
