package io.whatsappqueue.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-chat order for the entries one consumer holds: pure bookkeeping, no Redis, no threads (the consumer's
 * lock guards it; ChatLanesTest covers it). Entries of one chat form a lane sorted by stream id, whatever
 * order they arrived in (read, reclaimed from a dead worker, taken back after a failure). Only a lane's first
 * entry may run, and only once Redis confirmed it as the head of the chat's order set, so an earlier entry
 * held by another worker goes first (I3). A lane whose first entry is waiting for a retry, held by a pause
 * or being finished stays closed; other lanes go on (I4).
 */
final class ChatLanes {

    /** Where an entry is in its life on this consumer. */
    enum State {
        /** Not started; runs when it is first in its lane and confirmed head. */
        WAITING,
        /** Handed to the route. */
        RUNNING,
        /** A counted attempt failed; waits for its back-off. */
        RETRY_WAIT,
        /** Paused (instance paused, Redis unavailable, a stream full): waits without using an attempt. */
        HELD,
        /** The route is done; the acknowledgement is being written (retried while Redis refuses). */
        FINISHING
    }

    /** One held entry and its state. */
    static final class Slot {
        StreamEntry entry;
        State state = State.WAITING;
        /** For HELD and RETRY_WAIT: not before this time (epoch ms). */
        long notBefore;
        /** What the route's admission answered with the read (EntryScripts), for its first run only; else null. */
        String admission;
        /** When {@link #admission} was answered (epoch ms). */
        long admittedAt;

        Slot(StreamEntry entry) {
            this.entry = entry;
        }
    }

    private record LaneKey(String stream, String chat) {
    }

    private static final class Lane {
        final TreeMap<String, Slot> slots = new TreeMap<>();
        /** The member Redis last confirmed as the chat's head; null when unknown. */
        String confirmedHead;
    }

    private final Map<LaneKey, Lane> lanes = new HashMap<>();
    private final Map<String, Slot> byId = new HashMap<>();
    private final Set<LaneKey> dirty = new LinkedHashSet<>();

    /**
     * Takes an entry in at its place by id. An entry already held keeps its state (a re-read of our own
     * pending entry changes nothing). {@code isHead}: Redis confirmed it as its chat's head.
     */
    boolean add(StreamEntry e, boolean isHead) {
        String k = slotKey(e.stream(), e.id());
        if (byId.containsKey(k)) {
            if (isHead) {
                confirmHead(e.stream(), e.chat(), e.member());
            }
            return false;
        }
        Slot s = new Slot(e);
        byId.put(k, s);
        LaneKey lk = laneKey(e);
        Lane lane = lanes.computeIfAbsent(lk, x -> new Lane());
        lane.slots.put(e.member().isEmpty() ? e.id() : e.member(), s);
        if (isHead || !e.ordered()) {
            lane.confirmedHead = e.member();
        }
        dirty.add(lk);
        return true;
    }

    /** Redis says {@code member} is now the head of the chat (after a finish, or a head poll). */
    void confirmHead(String stream, String chat, String member) {
        LaneKey lk = new LaneKey(stream, chat);
        Lane lane = lanes.get(lk);
        if (lane != null && member != null) {
            lane.confirmedHead = member;
            dirty.add(lk);
        }
    }

    Slot slot(String stream, String id) {
        return byId.get(slotKey(stream, id));
    }

    /**
     * Entries that may start now, taken from the lanes that changed since the last call: first in their lane,
     * WAITING, and confirmed head (or without a chat). They are not marked; {@link #start} does that.
     */
    List<Slot> runnable() {
        List<Slot> out = new ArrayList<>();
        for (LaneKey lk : dirty) {
            Lane lane = lanes.get(lk);
            if (lane == null || lane.slots.isEmpty()) {
                continue;
            }
            Slot first = lane.slots.firstEntry().getValue();
            if (first.state == State.WAITING
                    && (!first.entry.ordered() || first.entry.member().equals(lane.confirmedHead))) {
                out.add(first);
            }
        }
        dirty.clear();
        return out;
    }

    /** Marks a lane to be looked at again by {@link #runnable} (e.g. its instance's gate opened). */
    void touch(Slot s) {
        dirty.add(laneKey(s.entry));
    }

    void start(Slot s) {
        s.state = State.RUNNING;
    }

    void set(Slot s, State state, long notBefore) {
        s.state = state;
        s.notBefore = notBefore;
    }

    /** HELD or RETRY_WAIT entries whose time has come go back to WAITING; returns how many. */
    int releaseDue(long now, java.util.function.Predicate<StreamEntry> allowed) {
        int n = 0;
        for (Slot s : byId.values()) {
            if ((s.state == State.HELD || s.state == State.RETRY_WAIT) && s.notBefore <= now && allowed.test(s.entry)) {
                s.state = State.WAITING;
                dirty.add(laneKey(s.entry));
                n++;
            }
        }
        return n;
    }

    /** The entry is done (acknowledged and deleted in Redis): its lane moves on. */
    void remove(Slot s) {
        byId.remove(slotKey(s.entry.stream(), s.entry.id()));
        LaneKey lk = laneKey(s.entry);
        Lane lane = lanes.get(lk);
        if (lane == null) {
            return;
        }
        lane.slots.remove(s.entry.member().isEmpty() ? s.entry.id() : s.entry.member());
        if (lane.slots.isEmpty()) {
            lanes.remove(lk);
        } else {
            dirty.add(lk);
        }
    }

    /** First entries of lanes that wait for Redis to confirm them as their chat's head. */
    List<StreamEntry> unconfirmedFirsts() {
        List<StreamEntry> out = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            Slot first = lane.slots.firstEntry().getValue();
            if (first.state == State.WAITING && first.entry.ordered()
                    && !first.entry.member().equals(lane.confirmedHead)) {
                out.add(first.entry);
            }
        }
        return out;
    }

    /** Every entry held, any state (to keep them fresh in Redis). */
    List<StreamEntry> all() {
        List<StreamEntry> out = new ArrayList<>(byId.size());
        byId.values().forEach(s -> out.add(s.entry));
        return out;
    }

    int size() {
        return byId.size();
    }

    /** Entries in one of the given states. */
    int count(State state) {
        int n = 0;
        for (Slot s : byId.values()) {
            if (s.state == state) {
                n++;
            }
        }
        return n;
    }

    private static LaneKey laneKey(StreamEntry e) {
        // an entry without a chat is a lane of its own
        return new LaneKey(e.stream(), e.ordered() ? e.chat() : "#" + e.id());
    }

    private static String slotKey(String stream, String id) {
        return stream + " " + id;
    }
}
