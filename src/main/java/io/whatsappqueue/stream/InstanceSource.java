package io.whatsappqueue.stream;

import java.util.Set;

/**
 * The Evolution instances a stream endpoint serves right now. The consumer asks on every poll, so an
 * implementation answers from memory (cheap, thread-safe) and follows changes by itself (DESIGN §5, §6:
 * {@code wa:instances}). Names it returns were validated as instance names.
 */
@FunctionalInterface
public interface InstanceSource {

    /** The current set; never null. */
    Set<String> instances();
}
