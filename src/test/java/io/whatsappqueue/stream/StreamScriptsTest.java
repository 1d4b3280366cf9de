package io.whatsappqueue.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestRedis;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Each Lua script of lua/stream/ against a real Redis, through the StreamStore method that runs it. */
class StreamScriptsTest {
    private final RedissonClient redis = TestRedis.client();
    private final StreamStore store = new StreamStore(redis);

    private static String key(String name) {
        return "wa:scripts-" + name + ":stream";
    }

    @Test
    void addAppendsOnceWithTheChatFieldAndRegistersTheChatOrder() {
        String stream = key("add");
        String chat = Keys.chat("447700900001");

        StreamStore.AddResult first = store.add(stream, "wa:msg:scripts-add-1", "{\"x\":1}", chat, 10, 60);
        StreamStore.AddResult again = store.add(stream, "wa:msg:scripts-add-1", "{\"x\":1}", chat, 10, 60);

        assertThat(first.outcome()).isEqualTo(StreamStore.AddOutcome.ADDED);
        assertThat(again.outcome()).isEqualTo(StreamStore.AddOutcome.DUPLICATE);
        assertThat(TestRedis.entries(stream)).containsExactly(Map.of("payload", "{\"x\":1}", "chat", chat));
        assertThat(redis.getScoredSortedSet(Keys.chatOrder(stream, chat), StringCodec.INSTANCE).readAll())
                .containsExactly(StreamStore.member(first.id()));
    }

    @Test
    void addRefusesAFullStreamAndLeavesNothingBehind() {
        String stream = key("full");
        store.add(stream, null, "{}", "", 1, 60);

        assertThatThrownBy(() -> store.add(stream, "wa:msg:scripts-full-2", "{}", "", 1, 60))
                .isInstanceOf(StreamFullException.class).hasMessageContaining("WA_STREAM_MAXLEN");
        assertThat(TestRedis.xlen(stream)).isEqualTo(1);
        assertThat(redis.getBucket("wa:msg:scripts-full-2").isExists()).isFalse();
    }

    @Test
    void headsRegistersEntriesWithoutAnOrderAndAnswersWhoseTurnItIs() {
        String stream = key("heads");
        String payload = "{\"to\":\"447700900002\"}";
        // written without the chat field, as the previous system did: registered when first held
        String a = TestRedis.addPayload(stream, payload);
        String b = TestRedis.addPayload(stream, payload);
        store.ensureGroups(List.of(stream), "wa_workers", "wq-test");
        store.read("wa_workers", "wq-test", List.of(stream), 10, 10);
        StreamEntry ea = StreamStore.entry("scripts-heads", stream, a, Map.of("payload", payload), 1, false, "to");
        StreamEntry eb = StreamStore.entry("scripts-heads", stream, b, Map.of("payload", payload), 1, false, "to");
        assertThat(ea.chat()).isEqualTo(Keys.chat("447700900002"));

        // another worker holds the first one and has not registered it yet: the second must wait
        assertThat(store.heads("wa_workers", List.of(eb))).containsExactly(StreamStore.Head.WAIT);
        assertThat(store.heads("wa_workers", List.of(ea))).containsExactly(StreamStore.Head.GO);
        assertThat(store.heads("wa_workers", List.of(eb))).containsExactly(StreamStore.Head.WAIT);
    }

    @Test
    void anEntryOfAnotherChatWaitsOnlyWhileAnEarlierHeldEntryIsUnregistered() {
        String stream = key("heads-gap");
        String first = TestRedis.addPayload(stream, "{\"to\":\"447700900004\"}");
        String other = TestRedis.addPayload(stream, "{\"to\":\"447700900005\"}");
        store.ensureGroups(List.of(stream), "wa_workers", "wq-test");
        store.read("wa_workers", "wq-test", List.of(stream), 10, 10);
        StreamEntry e1 = StreamStore.entry("scripts-gap", stream, first, Map.of("payload", "{\"to\":\"447700900004\"}"), 1, false, "to");
        StreamEntry e2 = StreamStore.entry("scripts-gap", stream, other, Map.of("payload", "{\"to\":\"447700900005\"}"), 1, false, "to");

        assertThat(store.heads("wa_workers", List.of(e2))).containsExactly(StreamStore.Head.WAIT);
        assertThat(store.heads("wa_workers", List.of(e1, e2))).containsExactly(StreamStore.Head.GO, StreamStore.Head.GO);
    }

    @Test
    void anEntryAnotherWorkerFinishedIsGoneNotWaitingForever() {
        String stream = key("heads-gone");
        String chat = Keys.chat("447700900007");
        store.ensureGroups(List.of(stream), "wa_workers", "wq-stalled");
        String a = store.add(stream, null, "{}", chat, 10, 60).id();
        String b = store.add(stream, null, "{}", chat, 10, 60).id();
        store.read("wa_workers", "wq-stalled", List.of(stream), 10, 10);
        StreamEntry ea = StreamStore.entry("scripts-gone", stream, a, Map.of("chat", chat), 1, false, "to");
        StreamEntry eb = StreamStore.entry("scripts-gone", stream, b, Map.of("chat", chat), 1, false, "to");
        // while this worker stalled, another took both over and finished them
        store.finish(ea, "wa_workers", Map.of(), 60);
        store.finish(eb, "wa_workers", Map.of(), 60);

        assertThat(store.heads("wa_workers", List.of(eb))).containsExactly(StreamStore.Head.GONE);
        assertThat(redis.getScoredSortedSet(Keys.chatOrder(stream, chat), StringCodec.INSTANCE).isExists())
                .as("a gone entry is not registered again").isFalse();
    }

    @Test
    void aStoppingWorkersHandOverIsNoAttempt() {
        String stream = key("handover");
        store.ensureGroups(List.of(stream), "wa_workers", "wq-stopping");
        String a = store.add(stream, null, "{}", "", 10, 60).id();
        store.read("wa_workers", "wq-stopping", List.of(stream), 10, 10);

        store.leave(List.of(stream), "wa_workers", "wq-stopping", 61_000);
        List<StreamEntry> taken = store.reclaim(List.of(stream), "wa_workers", "wq-next", 60_000, 10, "to", k -> k);

        assertThat(taken).extracting(StreamEntry::id).containsExactly(a);
        assertThat(taken.get(0).delivery()).as("read once, handed over: still its first attempt").isEqualTo(1);
    }

    @Test
    void finishAcknowledgesDeletesMarksAndNamesTheChatsNextHead() {
        String stream = key("finish");
        String chat = Keys.chat("447700900003");
        store.ensureGroups(List.of(stream), "wa_workers", "wq-test");
        StreamStore.AddResult a = store.add(stream, null, "{}", chat, 10, 60);
        StreamStore.AddResult b = store.add(stream, null, "{}", chat, 10, 60);
        StreamStore.Batch read = store.read("wa_workers", "wq-test", List.of(stream), 10, 10);
        assertThat(read.byStream().get(stream)).containsOnlyKeys(a.id(), b.id());
        StreamEntry first = StreamStore.entry("scripts-finish", stream, a.id(), read.byStream().get(stream).get(a.id()), 1, false, "to");

        String next = store.finish(first, "wa_workers", Map.of("wa:scripts-finish:sent:m1", "3EB0AB"), 60);

        assertThat(next).isEqualTo(StreamStore.member(b.id()));
        assertThat(TestRedis.xlen(stream)).isEqualTo(1);
        assertThat(TestRedis.pending(stream, "wa_workers")).isEqualTo(1);
        assertThat(redis.<String>getBucket("wa:scripts-finish:sent:m1", StringCodec.INSTANCE).get()).isEqualTo("3EB0AB");
    }

    @Test
    void ensureGroupsCreatesOnlyMissingGroupsAndShowsTheConsumer() {
        String one = key("groups-1");
        String two = key("groups-2");
        assertThat(store.ensureGroups(List.of(one), "wa_workers", "wq-a")).isEqualTo(1);

        assertThat(store.ensureGroups(List.of(one, two), "wa_workers", "wq-a")).isEqualTo(1);
        assertThat(store.ensureGroups(List.of(one, two), "wa_workers", "wq-a")).isZero();
        assertThat(TestRedis.stream(two).listConsumers("wa_workers")).extracting(c -> c.getName()).containsExactly("wq-a");
    }

    @Test
    void reclaimTakesOverIdleEntriesOfEveryStreamWithTheirAttemptNumber() {
        String one = key("reclaim-1");
        String two = key("reclaim-2");
        store.ensureGroups(List.of(one, two), "wa_workers", "wq-dead");
        String a = store.add(one, null, "{}", Keys.chat("447700900006"), 10, 60).id();
        String b = store.add(two, null, "{}", "", 10, 60).id();
        store.read("wa_workers", "wq-dead", List.of(one, two), 10, 10);
        redis.getMap(Keys.retries(one), StringCodec.INSTANCE).put(a, "2");

        List<StreamEntry> none = store.reclaim(List.of(one, two), "wa_workers", "wq-alive", 60_000, 10, "to", k -> k);
        List<StreamEntry> taken = new java.util.ArrayList<>();
        await().atMost(java.time.Duration.ofSeconds(2)).until(() -> {
            taken.addAll(store.reclaim(List.of(one, two), "wa_workers", "wq-alive", 10, 10, "to", k -> k));
            return taken.size() == 2;
        });

        assertThat(none).isEmpty();
        assertThat(taken).extracting(StreamEntry::id).containsExactlyInAnyOrder(a, b);
        StreamEntry ea = taken.stream().filter(e -> e.id().equals(a)).findFirst().orElseThrow();
        assertThat(ea.delivery()).as("delivered twice plus two counted retries").isEqualTo(4);
        assertThat(ea.chat()).isEqualTo(Keys.chat("447700900006"));
        assertThat(ea.reclaimed()).isTrue();
    }

    @Test
    void sweepRemovesOnlyOurSilentConsumersAndAStoppingWorkerHandsOverWhatItStillHolds() {
        String stream = key("sweep");
        store.ensureGroups(List.of(stream), "wa_workers", "wq-gone");
        store.ensureGroups(List.of(stream), "wa_workers", "python-worker");
        store.ensureGroups(List.of(stream), "wa_workers", "wq-busy");
        store.add(stream, null, "{}", "", 10, 60);
        store.read("wa_workers", "wq-busy", List.of(stream), 10, 10);

        assertThat(store.removeDeadConsumers(List.of(stream), "wa_workers", "wq-me", 1000)).containsExactly("wq-gone");
        assertThat(store.leave(List.of(stream), "wa_workers", "wq-busy", 61_000)).isZero();
        assertThat(TestRedis.stream(stream).listConsumers("wa_workers")).extracting(c -> c.getName())
                .containsExactlyInAnyOrder("python-worker", "wq-busy");
        // what the stopped worker still held is handed over at once, not after the claim idle time
        assertThat(store.reclaim(List.of(stream), "wa_workers", "wq-next", 60_000, 10, "to", k -> k)).hasSize(1);
    }
}
