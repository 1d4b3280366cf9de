package io.whatsappqueue.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a free-form log string safe to write: secrets are replaced by {@value #REDACTED} and every
 * run of 8 or more digits (a phone number, JID or LID, possibly written with + and spaces) is
 * masked with {@link PhoneMask}.
 *
 * <p>Secrets are the values of {@code apikey}, {@code api_key}, {@code Authorization}, any
 * {@code ...token}, and the QR code fields {@code base64}, {@code code} and {@code pairingCode},
 * written either as {@code key=value} (headers, query strings, {@code Map.toString()}) or as JSON
 * {@code "key":"value"}. Keys are matched whole and case-insensitively, so {@code statusCode=401}
 * stays readable.
 *
 * <p>Digit runs are masked wherever they appear, so long ids such as Redis stream ids are masked
 * too: a log line should name a message by its {@code message_id}, not by a number.
 */
public final class LogRedactor {

    static final String REDACTED = "[redacted]";

    private static final String SECRET_KEY =
            "(?:apikey|api[_-]key|authorization|base64|code|pairingcode|[\\w-]*token)";

    /** {@code "key": "value"} in JSON; the value may contain escaped characters. */
    private static final Pattern JSON_SECRET = Pattern.compile(
            "(\"" + SECRET_KEY + "\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*(\")",
            Pattern.CASE_INSENSITIVE);

    /**
     * {@code key=value}: a quoted value, an auth scheme with its credentials ({@code Bearer x}),
     * a data URL (whose ';' and ',' would otherwise end the value early), or a bare value up to
     * the next separator. A comma ends a bare value only before a space ({@code Map.toString()}):
     * a QR code is itself comma-separated.
     */
    private static final Pattern KEY_VALUE_SECRET = Pattern.compile(
            "((?<![\\w-])" + SECRET_KEY + "\\s*=\\s*)"
                    + "(?:\"[^\"]*\"|'[^']*'"
                    + "|(?:bearer|basic|token)\\s+[^\\s,;&}\\])\"']+"
                    + "|data:[^\\s,]*,[^\\s,;&}\\])\"']*"
                    + "|(?:[^\\s,;&}\\])\"']|,(?=[^\\s,]))+)",
            Pattern.CASE_INSENSITIVE);

    /**
     * A number as people write it: optionally a +, then either groups of up to 7 digits separated by
     * single spaces (+44 7700 900123) or one unbroken run. A group of 8 or more digits is a number of
     * its own, so "attempt 2 447700900123" masks only the second number.
     */
    private static final Pattern DIGIT_RUN = Pattern.compile(
            "\\+?(?:\\d{1,7}(?!\\d)(?: \\d{2,7}(?!\\d))+|\\d+)");

    private static final int MIN_DIGITS_TO_MASK = 8;

    private LogRedactor() {
    }

    /** The redacted form of {@code text}; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        // Secrets first, so that a numeric key is removed rather than masked.
        String out = JSON_SECRET.matcher(text).replaceAll(m ->
                Matcher.quoteReplacement(m.group(1) + REDACTED + m.group(2)));
        out = KEY_VALUE_SECRET.matcher(out).replaceAll(m ->
                Matcher.quoteReplacement(m.group(1) + REDACTED));
        return DIGIT_RUN.matcher(out).replaceAll(m -> {
            String digits = m.group().replaceAll("\\D", "");
            String replacement = digits.length() >= MIN_DIGITS_TO_MASK ? PhoneMask.maskDigits(digits) : m.group();
            return Matcher.quoteReplacement(replacement);
        });
    }
}
