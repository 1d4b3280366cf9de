package io.whatsappqueue.ai;

import java.util.Objects;

/** One earlier message of the conversation, as kept in the chat memory and replayed to the model. */
public record ChatTurn(Role role, String text) {

    public enum Role { USER, ASSISTANT }

    public ChatTurn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }

    public static ChatTurn user(String text) {
        return new ChatTurn(Role.USER, text);
    }

    public static ChatTurn assistant(String text) {
        return new ChatTurn(Role.ASSISTANT, text);
    }
}
