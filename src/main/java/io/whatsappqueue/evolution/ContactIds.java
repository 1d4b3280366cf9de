package io.whatsappqueue.evolution;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One form per contact, whichever way it arrives: {@code +44 7700 900123}, {@code 447700900123},
 * {@code 447700900123@s.whatsapp.net} and {@code 447700900123:12@s.whatsapp.net} are the same chat;
 * {@code 123@lid} keeps its domain (a LID is not a phone number). Key names get only the SHA-256 of it ({@code Keys.chat}).
 */
public final class ContactIds {
    private static final String PHONE_DOMAIN = "@s.whatsapp.net";
    // compiled once: normalise runs for every message (key names, opt-out and pause checks)
    private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[\\s+()\\-.]");
    private static final Pattern PHONE_DIGITS = Pattern.compile("\\d{3,32}");
    private static final Pattern JID = Pattern.compile("[0-9a-z._:-]{1,64}@[a-z0-9.-]{1,32}");
    private static final int MAX_LENGTH = 128;

    private ContactIds() {
    }

    /** The normalised contact, or null when the value cannot be a contact. */
    public static String normalise(String contact) {
        if (contact == null) {
            return null;
        }
        String c = contact.trim().toLowerCase(Locale.ROOT);
        if (c.isEmpty() || c.length() > MAX_LENGTH) {
            return null;
        }
        if (c.endsWith(PHONE_DOMAIN)) {
            c = c.substring(0, c.length() - PHONE_DOMAIN.length());
            int device = c.indexOf(':');
            if (device >= 0) {
                c = c.substring(0, device);
            }
        }
        if (c.indexOf('@') < 0) {
            // a phone number as people write it: keep the digits only
            String digits = PHONE_PUNCTUATION.matcher(c).replaceAll("");
            return PHONE_DIGITS.matcher(digits).matches() ? digits : null;
        }
        return JID.matcher(c).matches() ? c : null;
    }

}
