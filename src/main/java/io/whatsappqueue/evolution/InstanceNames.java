package io.whatsappqueue.evolution;

import java.util.regex.Pattern;

/**
 * The one place that decides whether an Evolution instance name is safe to use, and how any untrusted
 * value is written into a log line or an error message.
 *
 * <p>Evolution does not validate instance names (spaces, braces, unicode are all possible), and the
 * name ends up in Redis key names, so only names matching {@link #PATTERN} may go any further.
 */
public final class InstanceNames {

    /** Letters, digits, {@code _ . -}; starts with a letter or digit; at most 64 characters. */
    public static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

    /** Longest output of {@link #safeForLog(String)}, including the truncation marker. */
    public static final int MAX_LOG_LENGTH = 80;

    private static final String TRUNCATED = "...";

    private InstanceNames() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /**
     * Printable ASCII copy of an untrusted value: control, non-ASCII, backslash and quote characters are
     * written as Java escapes ({@code \u00e9}, {@code \\}, {@code \"}), so a log line cannot be forged or
     * broken, and the result is cut to {@value #MAX_LOG_LENGTH} characters ending in {@code ...}.
     */
    public static String safeForLog(String value) {
        if (value == null) {
            return "<null>";
        }
        StringBuilder out = new StringBuilder(MAX_LOG_LENGTH + 8);
        int cutAt = -1;
        for (int i = 0; i < value.length(); i++) {
            String piece = escape(value.charAt(i));
            // Remember the last place where the marker still fits, so no escape is ever cut in half.
            if (out.length() + piece.length() > MAX_LOG_LENGTH - TRUNCATED.length() && cutAt < 0) {
                cutAt = out.length();
            }
            out.append(piece);
            if (out.length() > MAX_LOG_LENGTH) {
                out.setLength(cutAt);
                return out.append(TRUNCATED).toString();
            }
        }
        return out.toString();
    }

    private static String escape(char c) {
        if (c == '\\') {
            return "\\\\";
        }
        if (c == '"') {
            return "\\\"";
        }
        if (c >= 0x20 && c <= 0x7E) {
            return String.valueOf(c);
        }
        return String.format("\\u%04x", (int) c);
    }
}
