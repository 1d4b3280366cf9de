package io.whatsappqueue.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.redis.Keys;

/**
 * What happened to the accepted replies of one scenario, judged from the outside: what the stand-in received and
 * what is in {@code wa:<instance>:dlq}. Checks I1 (each accepted message sent or dead-lettered with a reason), I2
 * (duplicates within an allowance the scenario computes), I3 (per chat, a message is first delivered only after
 * the stand-in began answering the previous one of that chat) and I7's recovery (the backlog resolved within 10 s
 * of the fault ending). Times are epoch milliseconds.
 */
final class Ledger {
    static final long RECOVERY_LIMIT_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    record DeadLetter(String messageId, String reason, long atMs) {
    }

    final int accepted;
    final int sent;
    final int duplicates;
    final int lost;
    final int deadLettered;
    final long longestStallMs;
    /** The message that waited longest, and since when (epoch ms). */
    String longestStallId = "-";
    long longestStallFromMs;
    /** Fault end to the last accepted message resolved; 0 if resolved before; -1 if some never were. */
    final long recoveryMs;
    final List<String> orderViolations = new ArrayList<>();
    final Map<String, Integer> deadLetterReasons = new HashMap<>();
    final List<String> lostIds = new ArrayList<>();

    Ledger(Replies replies, List<StandIn.Receipt> receipts, List<DeadLetter> dlq, long faultEndMs, long endMs) {
        Map<String, Long> acceptedAt = replies.acceptedAt();
        Map<String, List<StandIn.Receipt>> delivered = new HashMap<>();
        for (StandIn.Receipt r : receipts) {
            if (r.delivered() && acceptedAt.containsKey(r.messageId)) {
                delivered.computeIfAbsent(r.messageId, k -> new ArrayList<>()).add(r);
            }
        }
        delivered.values().forEach(l -> l.sort(Comparator.comparingLong(r -> r.arrivalMs)));
        Map<String, DeadLetter> dead = new HashMap<>();
        for (DeadLetter d : dlq) {
            if (acceptedAt.containsKey(d.messageId())) {
                dead.putIfAbsent(d.messageId(), d);
            }
        }
        dead.values().forEach(d -> deadLetterReasons.merge(d.reason(), 1, Integer::sum));

        int dup = 0;
        for (List<StandIn.Receipt> l : delivered.values()) {
            dup += l.size() - 1;
        }
        Map<String, List<Replies.Msg>> chats = new HashMap<>();
        for (String id : acceptedAt.keySet()) {
            Replies.Msg m = replies.msg(id);
            chats.computeIfAbsent(m.chat(), k -> new ArrayList<>()).add(m);
        }
        long stall = 0;
        long lastResolved = 0;
        for (List<Replies.Msg> chat : chats.values()) {
            chat.sort(Comparator.comparingInt(Replies.Msg::seq));
            long previousResolved = 0;
            StandIn.Receipt previousDelivery = null;
            Replies.Msg previous = null;
            for (Replies.Msg m : chat) {
                List<StandIn.Receipt> d = delivered.get(m.id());
                // the copy that arrived first, and (for the next message's check) the copy answered first: when a
                // failover makes two workers send one message (an I2 duplicate), the patient has it once the first
                // copy is answered, and the next message must not overtake that copy
                StandIn.Receipt first = d == null ? null
                        : d.stream().min(Comparator.comparingLong(r -> r.arrivalMs)).orElse(null);
                StandIn.Receipt firstAnswered = d == null ? null
                        : d.stream().min(Comparator.comparingLong(r -> r.answerMs)).orElse(null);
                long resolved = first != null ? first.arrivalMs
                        : dead.containsKey(m.id()) ? dead.get(m.id()).atMs() : -1;
                if (resolved < 0) {
                    lostIds.add(m.id());
                }
                long waitFrom = Math.max(acceptedAt.get(m.id()), previousResolved);
                long wait = (resolved < 0 ? endMs : resolved) - waitFrom;
                if (wait > stall) {
                    stall = wait;
                    longestStallId = m.id() + " (" + m.chat() + " #" + m.seq() + ")";
                    longestStallFromMs = waitFrom;
                }
                if (first != null && previousDelivery != null && first.arrivalMs < previousDelivery.answerMs) {
                    orderViolations.add(m.chat() + ": " + m.id() + " (#" + m.seq() + ") arrived "
                            + (previousDelivery.answerMs - first.arrivalMs) + " ms before " + previous.id() + " (#"
                            + previous.seq() + ") was answered");
                }
                if (first != null) {
                    previousDelivery = firstAnswered;
                    previous = m;
                }
                previousResolved = Math.max(previousResolved, resolved < 0 ? endMs : resolved);
                lastResolved = Math.max(lastResolved, resolved);
            }
        }
        this.accepted = acceptedAt.size();
        this.sent = delivered.size();
        this.duplicates = dup;
        this.deadLettered = dead.size();
        this.lost = lostIds.size();
        this.longestStallMs = stall;
        this.recoveryMs = lost > 0 ? -1 : Math.max(0, lastResolved - faultEndMs);
    }

    /**
     * Every dead letter in the dead-letter stream of each instance ({@code wa:<instance>:dlq}, or
     * {@code wa:{<instance>}:dlq} with hash tags), read from the node that holds it: payload message_id,
     * final_error, and the entry's time.
     */
    static List<DeadLetter> deadLetters(RedisSetup redis, List<String> instances) {
        List<DeadLetter> out = new ArrayList<>();
        for (String instance : instances) {
            String key = Keys.deadLetters(instance);
            out.addAll(deadLetters(redis.respFor(key).list("XRANGE", key, "-", "+")));
        }
        return out;
    }

    private static List<DeadLetter> deadLetters(List<Object> entries) {
        List<DeadLetter> out = new ArrayList<>();
        for (Object entry : entries) {
            List<?> e = (List<?>) entry;
            String id = (String) e.get(0);
            List<?> fields = (List<?>) e.get(1);
            Map<String, String> f = new HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                f.put((String) fields.get(i), (String) fields.get(i + 1));
            }
            String messageId = "?";
            String reason = f.get("final_error");
            try {
                JsonNode p = JSON.readTree(f.getOrDefault("payload", "{}"));
                messageId = p.path("message_id").asText("?");
                if (reason == null) {
                    reason = p.path("final_error").asText(null);
                }
            } catch (java.io.IOException ex) {
                reason = "unreadable payload: " + ex.getMessage();
            }
            out.add(new DeadLetter(messageId, reason == null ? "(no reason)" : reason,
                    Long.parseLong(id.substring(0, id.indexOf('-')))));
        }
        return out;
    }
}
