package io.whatsappqueue.evolution;

/**
 * Thrown by the payload readers when a field the decision depends on has the wrong shape; the parser turns
 * it into one 400 answer. The message names the field only, never its (untrusted) value.
 */
final class MalformedEventException extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedEventException(String message) {
        super(message);
    }
}
