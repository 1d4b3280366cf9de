package io.whatsappqueue.logging;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configured secret values of this process, and the one scrubber that keeps them out of every log line
 * (log4j2's {@code ScrubSecrets} rewrite policy) and every Jolokia answer. Brief rule: no secret value leaves
 * the process.
 *
 * <p>A setting is secret when its name ends in {@code TOKEN}, {@code KEY}, {@code PASSWORD} or {@code SECRET}
 * (ADMIN_TOKEN, WEBHOOK_TOKEN, EVOLUTION_API_KEY, AI_API_KEY, JOLOKIA_PASSWORD, API_TOKEN,
 * WA_STATUS_CALLBACK_SECRET, REDIS_PASSWORD, and any added later); so is the credential part of any URL
 * setting ({@code REDIS_URL=redis://user:pw@host}). Values are learnt from the environment and system
 * properties when the class loads, before the first log line, and from the resolved settings at start-up.
 * Values shorter than {@value #MIN_LENGTH} characters are not scrubbed: they would blot out ordinary words.
 * A scrubbed value reads {@value #MASK}; its JSON-escaped and URL-encoded forms are scrubbed too.
 */
public final class SecretValues {
    public static final String MASK = "xxxxxx";
    static final int MIN_LENGTH = 6;

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(?:TOKEN|KEY|PASSWORD|SECRET)");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/@?#\\s]+)@");
    private static final Set<String> FORMS = ConcurrentHashMap.newKeySet();
    private static volatile List<String> longestFirst = List.of();

    static {
        learnAll(System.getenv());
        System.getProperties().forEach((k, v) -> learn(String.valueOf(k), String.valueOf(v)));
    }

    private SecretValues() {
    }

    /** True for the names of secret settings (by the rule above), any case; dots and dashes count as underscores. */
    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name.replace('.', '_').replace('-', '_')).matches();
    }

    /** Learns every secret among {@code settings} (name to value). */
    public static void learnAll(Map<String, String> settings) {
        settings.forEach(SecretValues::learn);
    }

    /** Learns {@code value} if {@code name} is a secret setting, and the credentials of a URL value. */
    public static void learn(String name, String value) {
        if (value == null || value.isBlank() || value.contains("{{")) {
            return;
        }
        if (isSecretName(name)) {
            add(value.strip());
        }
        Matcher url = URL_CREDENTIALS.matcher(value.strip());
        if (url.find()) {
            String userInfo = url.group(1);
            int colon = userInfo.indexOf(':');
            add(colon < 0 ? userInfo : userInfo.substring(colon + 1));
        }
    }

    /** {@code text} with every known secret value replaced by {@value #MASK}; null stays null. */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : longestFirst) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** True when {@code text} holds a known secret value. */
    public static boolean leaks(String text) {
        if (text == null) {
            return false;
        }
        for (String secret : longestFirst) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    private static void add(String value) {
        String decoded = java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (decoded.length() < MIN_LENGTH) {
            return;
        }
        boolean added = FORMS.add(decoded);
        added |= FORMS.add(value);
        added |= FORMS.add(URLEncoder.encode(decoded, StandardCharsets.UTF_8));
        added |= FORMS.add(jsonEscaped(decoded));
        added |= FORMS.add(jsonEscaped(decoded).replace("/", "\\/"));
        if (added) {
            longestFirst = FORMS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    private static String jsonEscaped(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
