package io.whatsappqueue.logging;

/**
 * Masks a phone number, WhatsApp JID or LID for logs: the first 4 and last 4 digits stay, stars
 * stand for the digits in between. Numbers of 8 digits or fewer show only their last 2 digits.
 * Formatting (+, spaces, dashes) is dropped; a JID keeps its device suffix and domain.
 * <pre>
 * 447700900123@s.whatsapp.net  →  4477****0123@s.whatsapp.net
 * +44 7700 900123              →  4477****0123
 * 12345678                     →  ******78
 * </pre>
 */
public final class PhoneMask {

    private static final int KEPT_AT_EACH_END = 4;
    private static final int SHORT_NUMBER_DIGITS = 8;
    private static final int KEPT_OF_SHORT_NUMBER = 2;

    private PhoneMask() {
    }

    /** The masked form of {@code value}; {@code null} stays {@code null}, text without digits is returned as is. */
    public static String mask(String value) {
        if (value == null) {
            return null;
        }
        int at = value.indexOf('@');
        String user = at < 0 ? value : value.substring(0, at);
        String domain = at < 0 ? "" : value.substring(at);
        // A JID of a linked device carries its device number after a colon: 447700900123:12@s.whatsapp.net
        int colon = at < 0 ? -1 : user.indexOf(':');
        String device = colon < 0 ? "" : user.substring(colon);
        String number = colon < 0 ? user : user.substring(0, colon);
        String digits = number.replaceAll("\\D", "");
        if (digits.isEmpty()) {
            return value;
        }
        return maskDigits(digits) + device + domain;
    }

    /** Masks a string of digits only. */
    static String maskDigits(String digits) {
        int n = digits.length();
        if (n <= SHORT_NUMBER_DIGITS) {
            int kept = Math.min(KEPT_OF_SHORT_NUMBER, n);
            return "*".repeat(n - kept) + digits.substring(n - kept);
        }
        return digits.substring(0, KEPT_AT_EACH_END)
                + "*".repeat(n - 2 * KEPT_AT_EACH_END)
                + digits.substring(n - KEPT_AT_EACH_END);
    }
}
