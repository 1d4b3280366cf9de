package io.whatsappqueue.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Per-chat lanes as pure logic: which entry may start, whatever order entries arrive in (I3, I4). */
class ChatLanesTest {
    private static final String STREAM = "wa:lanes:stream";

    private static StreamEntry entry(String id, String chat) {
        return new StreamEntry("lanes", STREAM, id, Map.of(), chat, chat.isEmpty() ? "" : StreamStore.member(id), 1, false);
    }

    private static List<String> ids(List<ChatLanes.Slot> slots) {
        return slots.stream().map(s -> s.entry.id()).toList();
    }

    @Test
    void onlyTheConfirmedFirstEntryOfAChatMayStart() {
        ChatLanes lanes = new ChatLanes();
        lanes.add(entry("100-0", "a"), true);
        lanes.add(entry("101-0", "a"), false);

        List<ChatLanes.Slot> runnable = lanes.runnable();
        assertThat(ids(runnable)).containsExactly("100-0");
        lanes.start(runnable.get(0));
        assertThat(lanes.runnable()).isEmpty();

        lanes.remove(runnable.get(0));
        lanes.confirmHead(STREAM, "a", StreamStore.member("101-0"));
        assertThat(ids(lanes.runnable())).containsExactly("101-0");
    }

    @Test
    void anEarlierEntryTakenBackFromAStoppedWorkerGoesBeforeLaterOnesAlreadyHeld() {
        ChatLanes lanes = new ChatLanes();
        // this worker read the chat's 2nd and 3rd replies; the 1st was in flight on a worker that died
        lanes.add(entry("200-0", "a"), false);
        lanes.add(entry("300-0", "a"), false);
        assertThat(lanes.runnable()).isEmpty();

        // reclaimed: it lands first in the lane, and Redis confirms it as the chat's head
        lanes.add(entry("100-0", "a"), true);

        assertThat(ids(lanes.runnable())).containsExactly("100-0");
        assertThat(lanes.unconfirmedFirsts()).isEmpty();
    }

    @Test
    void anEntryWaitingForItsRetryHoldsItsChatButNoOther() {
        ChatLanes lanes = new ChatLanes();
        lanes.add(entry("100-0", "a"), true);
        lanes.add(entry("101-0", "a"), false);
        ChatLanes.Slot first = lanes.runnable().get(0);
        lanes.start(first);
        lanes.set(first, ChatLanes.State.RETRY_WAIT, Long.MAX_VALUE);
        lanes.confirmHead(STREAM, "a", StreamStore.member("101-0"));

        lanes.add(entry("102-0", "b"), true);

        assertThat(ids(lanes.runnable())).containsExactly("102-0");
        assertThat(lanes.releaseDue(System.currentTimeMillis(), e -> true)).isZero();
    }

    @Test
    void aHeldEntryGoesAgainWhenItsTimeComesAndItsInstanceMayDispatch() {
        ChatLanes lanes = new ChatLanes();
        lanes.add(entry("100-0", "a"), true);
        ChatLanes.Slot s = lanes.runnable().get(0);
        lanes.start(s);
        lanes.set(s, ChatLanes.State.HELD, 0);

        assertThat(lanes.releaseDue(System.currentTimeMillis(), e -> false)).isZero();
        assertThat(lanes.runnable()).isEmpty();
        assertThat(lanes.releaseDue(System.currentTimeMillis(), e -> true)).isEqualTo(1);
        assertThat(ids(lanes.runnable())).containsExactly("100-0");
    }

    @Test
    void entriesWithoutAChatRunIndependently() {
        ChatLanes lanes = new ChatLanes();
        lanes.add(entry("100-0", ""), false);
        lanes.add(entry("101-0", ""), false);

        assertThat(ids(lanes.runnable())).containsExactlyInAnyOrder("100-0", "101-0");
    }

    @Test
    void readingOurOwnPendingEntryAgainChangesNothing() {
        ChatLanes lanes = new ChatLanes();
        lanes.add(entry("100-0", "a"), true);
        ChatLanes.Slot s = lanes.runnable().get(0);
        lanes.start(s);

        assertThat(lanes.add(entry("100-0", "a"), true)).isFalse();
        assertThat(lanes.size()).isEqualTo(1);
        assertThat(lanes.count(ChatLanes.State.RUNNING)).isEqualTo(1);
        assertThat(lanes.runnable()).isEmpty();
    }
}
