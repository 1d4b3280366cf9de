package io.whatsappqueue.fault;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.whatsappqueue.redis.Keys;

/**
 * Issue 10's round trip, judged from outside for every webhook answered accepted: its de-duplication marker is in
 * Redis (written in one step with the inbound entry, so a failover that dropped the entry dropped it too), and the
 * app's reply reached the stand-in (a 2xx sendText to the event's own chat number), or the event or its reply was
 * dead-lettered. Duplicates: the same text sent 2xx to the same number more than once. Recovery: from the fault's
 * end to the first webhook accepted after it. Times are epoch milliseconds.
 */
final class RoundTrips {
    final int accepted;
    final int replied;
    final int duplicates;
    final int deadLettered;
    final List<String> noMarker = new ArrayList<>();
    final List<String> lost = new ArrayList<>();
    /** Fault end to the first webhook accepted after it; -1 when none was. */
    final long recoveryMs;

    /**
     * Waits up to {@code waitMs} for every accepted webhook's reply to be sent, then judges.
     *
     * @param standIn receipts are read from it while waiting
     */
    RoundTrips(Webhooks load, StandIn standIn, RedisSetup redis, long faultEndMs, long waitMs) {
        Map<String, Webhooks.Event> accepted = new HashMap<>();
        load.accepted.keySet().forEach(k -> accepted.put(k, load.events.get(k)));
        long end = System.currentTimeMillis() + waitMs;
        Set<String> sentTo = repliedNumbers(standIn);
        while (!sentTo.containsAll(accepted.values().stream().map(Webhooks.Event::number).toList())
                && System.currentTimeMillis() < end) {
            StandIn.sleep(250);
            sentTo = repliedNumbers(standIn);
        }
        String deadText = deadLetterText(redis, accepted.values().stream().map(Webhooks.Event::instance).distinct().toList());
        int replied = 0;
        int dead = 0;
        for (Webhooks.Event e : accepted.values()) {
            String marker = Keys.inboundDedupe(e.instance(), e.keyId());
            try {
                if (redis.respFor(marker).number("EXISTS", marker) == 0) {
                    noMarker.add(e.keyId() + " (" + e.instance() + ")");
                }
            } catch (RuntimeException unreadable) {
                noMarker.add(e.keyId() + " (" + e.instance() + ", unreadable: " + unreadable.getMessage() + ")");
            }
            if (sentTo.contains(e.number())) {
                replied++;
            } else if (deadText.contains(e.keyId()) || deadText.contains(e.number())) {
                dead++;
            } else {
                lost.add(e.keyId() + " (" + e.instance() + ", to " + e.number() + ")");
            }
        }
        Map<String, Integer> sends = new HashMap<>();
        Set<String> numbers = new HashSet<>(accepted.values().stream().map(Webhooks.Event::number).toList());
        for (StandIn.Receipt r : standIn.receipts()) {
            if (r.delivered() && numbers.contains(digits(r.number))) {
                sends.merge(digits(r.number) + "\n" + r.text, 1, Integer::sum);
            }
        }
        this.accepted = accepted.size();
        this.replied = replied;
        this.deadLettered = dead;
        this.duplicates = sends.values().stream().mapToInt(n -> n - 1).sum();
        long first = load.acceptedTimes.stream().filter(t -> t > faultEndMs).mapToLong(Long::longValue).min().orElse(-1);
        this.recoveryMs = first < 0 ? -1 : first - faultEndMs;
    }

    /** Numbers (digits only) that got at least one 2xx sendText of a text the suite did not write. */
    private static Set<String> repliedNumbers(StandIn standIn) {
        Set<String> out = new HashSet<>();
        for (StandIn.Receipt r : standIn.receipts()) {
            if (r.delivered() && "?".equals(r.messageId)) {
                out.add(digits(r.number));
            }
        }
        return out;
    }

    /** Every entry of the inbound and send dead-letter streams of {@code instances}, as one text to search in. */
    private static String deadLetterText(RedisSetup redis, List<String> instances) {
        StringBuilder all = new StringBuilder();
        for (String instance : instances) {
            for (String key : List.of(Keys.inboundDeadLetters(instance), Keys.deadLetters(instance))) {
                try {
                    all.append(redis.respFor(key).list("XRANGE", key, "-", "+")).append('\n');
                } catch (RuntimeException unreadable) {
                    all.append("(").append(key).append(" unreadable: ").append(unreadable.getMessage()).append(")\n");
                }
            }
        }
        return all.toString();
    }

    private static String digits(String s) {
        return s == null ? "" : s.replaceAll("\\D", "");
    }
}
