package io.whatsappqueue.admin;

import io.whatsappqueue.evolution.ContactIds;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.whatsappqueue.logging.PhoneMask;

/**
 * The /admin/chats answers: pause and resume AI replies to one chat, and list paused and opted-out chats.
 * Contacts are shown masked unless {@code reveal=true}.
 */
public final class ChatAdmin {
    static final long DEFAULT_MINUTES = 60;
    static final long MAX_MINUTES = 30L * 24 * 60;

    private final ChatControls controls;
    private final AdminInstances instances;

    public ChatAdmin(ChatControls controls, AdminInstances instances) {
        this.controls = controls;
        this.instances = instances;
    }

    /** Reads: its arguments (header contact, instance, minutes). Sets: body (the JSON answer, returned). */
    public String pause(String contact, String instanceParam, String minutesParam) {
        String instance = instances.resolve(instanceParam);
        String c = contact(contact);
        long minutes = minutes(minutesParam);
        controls.pause(instance, c, Duration.ofMinutes(minutes));
        long until = System.currentTimeMillis() + minutes * 60_000;
        int paused = controls.paused(instance).size();
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("instance", instance);
        out.put("contact", PhoneMask.mask(c));
        out.put("minutes", minutes);
        out.put("paused_until", AdminJson.iso(until));
        out.put("paused_count", paused);
        out.put("message", "AI replies to " + PhoneMask.mask(c) + " are paused for " + minutes + " minutes");
        AdminAudit.action("chat-pause", instance, "minutes", minutes, "paused_count", paused);
        return out.toString();
    }

    /** Reads: its arguments (header contact, instance). Sets: body (the JSON answer, returned). */
    public String resume(String contact, String instanceParam) {
        String instance = instances.resolve(instanceParam);
        String c = contact(contact);
        boolean was = controls.resume(instance, c);
        int paused = controls.paused(instance).size();
        ObjectNode out = AdminJson.object();
        out.put("ok", true);
        out.put("instance", instance);
        out.put("contact", PhoneMask.mask(c));
        out.put("was_paused", was);
        out.put("paused_count", paused);
        out.put("message", was ? "AI replies to " + PhoneMask.mask(c) + " resumed"
                : PhoneMask.mask(c) + " was not paused");
        AdminAudit.action("chat-resume", instance, "was_paused", was, "paused_count", paused);
        return out.toString();
    }

    /** Reads: its arguments (header instance, reveal). Sets: body (the JSON answer, returned). */
    public String paused(String instanceParam, String revealParam) {
        String instance = instances.resolve(instanceParam);
        boolean reveal = DeadLetterBrowser.flag("reveal", revealParam);
        long now = System.currentTimeMillis();
        List<ChatControls.PausedChat> paused = controls.paused(instance);
        List<ChatControls.OptedOut> optedOut = controls.optedOut(instance);
        ObjectNode out = AdminJson.object();
        out.put("instance", instance);
        out.put("revealed", reveal);
        out.put("paused_count", paused.size());
        ArrayNode p = out.putArray("paused");
        for (ChatControls.PausedChat c : paused) {
            ObjectNode n = p.addObject();
            n.put("contact", reveal ? c.contact() : PhoneMask.mask(c.contact()));
            n.put("paused_at", AdminJson.iso(c.pausedAtMs()));
            n.put("paused_until", AdminJson.iso(c.untilMs()));
            n.put("remaining_seconds", Math.max(0, (c.untilMs() - now) / 1000));
        }
        out.put("opted_out_count", optedOut.size());
        ArrayNode o = out.putArray("opted_out");
        for (ChatControls.OptedOut c : optedOut) {
            ObjectNode n = o.addObject();
            n.put("contact", reveal ? c.contact() : PhoneMask.mask(c.contact()));
            n.put("since", AdminJson.iso(c.sinceMs()));
        }
        AdminAudit.action("chats-paused", instance, "paused_count", paused.size(), "opted_out_count", optedOut.size(),
                "revealed", reveal);
        return out.toString();
    }

    private static String contact(String contact) {
        String c = ContactIds.normalise(contact);
        if (c == null) {
            throw new AdminException(422, "invalid_contact", "The contact must be phone digits (447700900123,"
                    + " +44 7700 900123) or a WhatsApp id (447700900123@s.whatsapp.net, 123@lid).");
        }
        return c;
    }

    private static long minutes(String v) {
        if (v == null || v.isBlank()) {
            return DEFAULT_MINUTES;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 1 && n <= MAX_MINUTES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, with the allowed range
        }
        throw AdminException.badParameter("minutes must be a whole number from 1 to " + MAX_MINUTES
                + " (30 days); default " + DEFAULT_MINUTES + ".");
    }
}
