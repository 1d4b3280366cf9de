package io.whatsappqueue.inbound;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.whatsappqueue.config.ConfigException;
import io.whatsappqueue.evolution.ContactIds;

/**
 * The receptionist behaviour's settings (DESIGN §10), read from Camel properties named like their environment
 * variables: out-of-hours mode, the hand-off to a person, and the canned answer to media without text. Throws
 * {@link ConfigException} naming every bad variable.
 */
public final class ReceptionistSettings {

    /** WA_OUT_OF_HOURS: what a patient gets while the clinic is closed. */
    public enum OutOfHoursMode {
        /** the usual answer with the closed notice added */
        NOTICE,
        /** only the closed notice; no AI call */
        NOTICE_ONLY,
        /** no notice; the AI is not told the time either */
        OFF
    }

    public final OutOfHoursMode outOfHours;
    /** WA_HANDOFF_KEYWORDS in {@link HandoffRequests#form}; empty: hand-off is off. */
    public final Set<String> handoffKeywords;
    public final String handoffReply;
    public final long handoffPauseSeconds;
    /** WhatsApp number or JID staff watch, or null. */
    public final String handoffNotifyTo;
    /** Where a hand-off is POSTed, or null. */
    public final String handoffWebhookUrl;
    /** HMAC key of the hand-off webhook: WA_HANDOFF_WEBHOOK_SECRET, else WA_STATUS_CALLBACK_SECRET. */
    public final String handoffWebhookSecret;
    /** WA_NON_TEXT_REPLY, or null (media without text is ignored, as before). */
    public final String nonTextReply;

    private ReceptionistSettings(Function<String, String> source) {
        List<String> problems = new ArrayList<>();
        String mode = trimmed(source.apply("WA_OUT_OF_HOURS"));
        OutOfHoursMode parsed = OutOfHoursMode.NOTICE;
        try {
            parsed = OutOfHoursMode.valueOf(mode == null ? "" : mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("WA_OUT_OF_HOURS must be notice, notice_only or off, got '" + mode + "'");
        }
        outOfHours = parsed;
        handoffKeywords = keywords(source.apply("WA_HANDOFF_KEYWORDS"));
        handoffReply = trimmed(source.apply("WA_HANDOFF_REPLY"));
        if (handoffReply == null && !handoffKeywords.isEmpty()) {
            problems.add("WA_HANDOFF_REPLY must not be empty while WA_HANDOFF_KEYWORDS is set");
        }
        handoffPauseSeconds = whole(source, "WA_HANDOFF_PAUSE_S", 1, 30L * 24 * 3600, problems);
        handoffNotifyTo = trimmed(source.apply("WA_HANDOFF_NOTIFY_TO"));
        if (handoffNotifyTo != null && ContactIds.normalise(handoffNotifyTo) == null) {
            problems.add("WA_HANDOFF_NOTIFY_TO must be a WhatsApp number (digits, optional +) or JID");
        }
        handoffWebhookUrl = trimmed(source.apply("WA_HANDOFF_WEBHOOK_URL"));
        String secret = trimmed(source.apply("WA_HANDOFF_WEBHOOK_SECRET"));
        if (secret == null) {
            secret = trimmed(source.apply("WA_STATUS_CALLBACK_SECRET"));
        }
        handoffWebhookSecret = secret == null ? "" : secret;
        if (handoffWebhookUrl != null) {
            if (!isHttpUrl(handoffWebhookUrl)) {
                problems.add("WA_HANDOFF_WEBHOOK_URL must be an http(s) URL, got '" + handoffWebhookUrl + "'");
            }
            if (secret == null) {
                problems.add("WA_HANDOFF_WEBHOOK_SECRET (or WA_STATUS_CALLBACK_SECRET) must be set when "
                        + "WA_HANDOFF_WEBHOOK_URL is");
            }
        }
        nonTextReply = trimmed(source.apply("WA_NON_TEXT_REPLY"));
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }

    public static ReceptionistSettings load(Function<String, String> source) {
        return new ReceptionistSettings(source);
    }

    private static Set<String> keywords(String list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null) {
            for (String part : list.split(",")) {
                String k = HandoffRequests.form(part);
                if (!k.isEmpty()) {
                    out.add(k);
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI u = URI.create(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String trimmed(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static long whole(Function<String, String> source, String name, long min, long max, List<String> problems) {
        String v = source.apply(name);
        try {
            long n = Long.parseLong(v == null ? "" : v.trim());
            if (n < min || n > max) {
                problems.add(name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
            return min;
        }
    }
}
