package io.whatsappqueue.console;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.whatsappqueue.admin.AdminInstances;
import io.whatsappqueue.admin.ChatAdmin;
import io.whatsappqueue.admin.ChatControls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paused and opted-out chats for the console, named in the page only by a masked number and an opaque reference:
 * HMAC-SHA256 of the contact keyed with the session's CSRF token, so the page never holds the number, not even
 * as a hash one could reverse by trying every number. A resume finds the chat by its reference again and calls
 * the admin API's own step ({@link ChatAdmin#resume}); an opt-in (for a patient who asked to be written to
 * again) clears the opt-out in {@link ChatControls}.
 */
public final class ConsoleChats {
    private static final Logger AUDIT = LoggerFactory.getLogger("io.whatsappqueue.admin.audit");

    private final ChatControls controls;
    private final ChatAdmin chats;
    private final AdminInstances instances;

    public ConsoleChats(ChatControls controls, ChatAdmin chats, AdminInstances instances) {
        this.controls = controls;
        this.chats = chats;
        this.instances = instances;
    }

    /** The chats paused now (contact: the full normalised contact; render it only masked). */
    List<ChatControls.PausedChat> paused(String instance) {
        return controls.paused(instances.resolve(instance));
    }

    List<ChatControls.OptedOut> optedOut(String instance) {
        return controls.optedOut(instances.resolve(instance));
    }

    /** The page's reference of {@code contact} in this session. */
    static String ref(ConsoleSessions.Session session, String contact) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(session.csrf().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(contact.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /**
     * Action step: ends the pause of the chat with this reference.
     * Reads: its arguments (header instance, ref; property WaConsoleSession). Sets: body (the admin answer, JSON).
     */
    public String resume(String instance, String ref, ConsoleSessions.Session session) {
        String contact = find(paused(instance).stream().map(ChatControls.PausedChat::contact).toList(), ref, session)
                .orElseThrow(() -> new ConsoleException(404, "That chat is not paused any more.", false));
        return chats.resume(contact, instance);
    }

    /**
     * Action step: clears the opt-out of the contact with this reference, so AI replies reach them again.
     * Reads: its arguments (header instance, ref; property WaConsoleSession). Sets: body (a JSON answer).
     */
    public String optIn(String instance, String ref, ConsoleSessions.Session session) {
        String name = instances.resolve(instance);
        String contact = find(optedOut(name).stream().map(ChatControls.OptedOut::contact).toList(), ref, session)
                .orElseThrow(() -> new ConsoleException(404, "That contact is not opted out any more.", false));
        controls.setOptOut(name, contact, false);
        int left = controls.optedOut(name).size();
        AUDIT.info("admin action=console-opt-in instance={} opted_out_count={}", name, left);
        return "{\"ok\":true,\"message\":\"The contact is opted in again; AI replies reach them.\"}";
    }

    private static Optional<String> find(List<String> contacts, String ref, ConsoleSessions.Session session) {
        if (ref == null) {
            return Optional.empty();
        }
        return contacts.stream().filter(c -> ref.equals(ref(session, c))).findFirst();
    }
}
