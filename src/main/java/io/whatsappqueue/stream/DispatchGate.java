package io.whatsappqueue.stream;

/**
 * Says, per instance, whether a consumer may start entries now. The send route's gate (send/SendGate) closes
 * an instance whose Evolution is down, disconnected or refusing our key; while closed, its entries stay
 * pending in Redis, are not read, and use no attempts (I5). Asked under the consumer's lock on every
 * dispatch, so an implementation answers from memory and never calls out.
 */
@FunctionalInterface
public interface DispatchGate {

    boolean isOpen(String instance);

    DispatchGate ALWAYS_OPEN = instance -> true;
}
