package io.whatsappqueue.instances;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.whatsappqueue.redis.RedisConnector;
import io.whatsappqueue.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The served set on a real Redis, as two processes see it: each ServedInstances here has its own Redis client
 * and no refresh timer (that is the route's job, proven in InstancesAdminTest), so a change can only arrive by
 * the announcement or by an explicit re-read.
 */
class ServedInstancesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    private final List<RedissonClient> clients = new ArrayList<>();
    private final List<ServedInstances> processes = new ArrayList<>();
    private RSet<String> set;

    @BeforeEach
    void emptySet() {
        set = TestRedis.client().getSet("wa:instances", StringCodec.INSTANCE);
        set.delete();
    }

    @AfterEach
    void stopProcesses() {
        processes.forEach(ServedInstances::close);
        clients.forEach(c -> c.shutdown(0, 1, TimeUnit.SECONDS));
    }

    @Test
    void waInstancesSeedTheSetAndInstancesAddedAtRunTimeSurviveARestart() {
        set.add("si-operator");

        ServedInstances p = process("si-a", "si-b");

        assertEquals(Set.of("si-a", "si-b", "si-operator"), set.readAll());
        assertEquals(Set.of("si-a", "si-b", "si-operator"), p.instances());
    }

    @Test
    void anAnnouncedAdditionAndRemovalReachAnotherProcessWithoutAReRead() {
        ServedInstances admin = process("si-home");
        ServedInstances peer = process();

        assertTrue(admin.add("si-new"));
        await().atMost(FIVE_SECONDS).until(() -> peer.serves("si-new"));

        assertTrue(admin.remove("si-new"));
        await().atMost(FIVE_SECONDS).until(() -> !peer.serves("si-new"));
        assertFalse(admin.serves("si-new"), "the process that removed it follows at once");
    }

    @Test
    void aSetLostWithRedissDataIsSeededAgainFromWaInstances() {
        ServedInstances p = process("si-lost-a", "si-lost-b");
        p.add("si-lost-extra");

        set.delete();   // Redis restarted without its data
        p.refresh();

        assertEquals(Set.of("si-lost-a", "si-lost-b"), p.instances());
        assertEquals(Set.of("si-lost-a", "si-lost-b"), set.readAll());
    }

    @Test
    void addingTwiceAndRemovingAnUnservedInstanceChangeNothing() {
        ServedInstances p = process("si-twice");

        assertFalse(p.add("si-twice"));
        assertFalse(p.remove("si-never"));
        assertEquals(Set.of("si-twice"), p.instances());
    }

    @Test
    void aChangeMadeWithoutAnnouncementIsPickedUpByTheNextReRead() {
        ServedInstances peer = process("si-base");

        set.add("si-quiet");
        assertFalse(peer.serves("si-quiet"), "nothing told this process yet");
        peer.refresh();
        assertTrue(peer.serves("si-quiet"));

        set.remove("si-quiet");
        peer.refresh();
        assertFalse(peer.serves("si-quiet"));
    }

    @Test
    void anAnnouncementTheSetDoesNotConfirmChangesNothing() {
        ServedInstances peer = process("si-base");
        // the previous system's integration routes published without writing any set
        TestRedis.client().getTopic("wa:instances:added", StringCodec.INSTANCE)
                .publish("{\"instance_name\":\"si-legacy\",\"organization_id\":7,\"action\":\"added\"}");
        ServedInstances admin = process();
        admin.add("si-after");

        await().atMost(FIVE_SECONDS).until(() -> peer.serves("si-after"));
        assertFalse(peer.serves("si-legacy"));
    }

    @Test
    void invalidNamesInTheSetAreIgnored() {
        set.addAll(List.of("bad name", "{si}", "x".repeat(65), "si-good"));

        ServedInstances p = process();

        assertEquals(Set.of("si-good"), p.instances());
    }

    @Test
    void listenersHearTheCurrentSetThenEveryChange() {
        ServedInstances admin = process("si-first");
        ServedInstances peer = process();
        List<String> heard = new CopyOnWriteArrayList<>();
        peer.listen(new ServedInstances.Listener() {
            @Override
            public void added(String instance) {
                heard.add("+" + instance);
            }

            @Override
            public void removed(String instance) {
                heard.add("-" + instance);
            }
        });

        admin.add("si-second");
        await().atMost(FIVE_SECONDS).until(() -> heard.contains("+si-second"));
        admin.remove("si-first");
        await().atMost(FIVE_SECONDS).until(() -> heard.contains("-si-first"));

        assertEquals(List.of("+si-first", "+si-second", "-si-first"), heard);
    }

    @Test
    void announcementsUseThePreviousSystemsMessage() throws Exception {
        List<String> added = new CopyOnWriteArrayList<>();
        List<String> removed = new CopyOnWriteArrayList<>();
        int a = TestRedis.client().getTopic("wa:instances:added", StringCodec.INSTANCE)
                .addListener(String.class, (ch, m) -> added.add(m));
        int r = TestRedis.client().getTopic("wa:instances:removed", StringCodec.INSTANCE)
                .addListener(String.class, (ch, m) -> removed.add(m));
        try {
            ServedInstances p = process();
            p.add("si-told");
            p.remove("si-told");

            await().atMost(FIVE_SECONDS).until(() -> !added.isEmpty() && !removed.isEmpty());
            JsonNode in = JSON.readTree(added.get(0));
            JsonNode out = JSON.readTree(removed.get(0));
            assertEquals("si-told", in.get("instance_name").asText());
            assertEquals("added", in.get("action").asText());
            assertTrue(in.has("organization_id"));
            assertEquals("si-told", out.get("instance_name").asText());
            assertEquals("removed", out.get("action").asText());
        } finally {
            TestRedis.client().getTopic("wa:instances:added", StringCodec.INSTANCE).removeListener(a);
            TestRedis.client().getTopic("wa:instances:removed", StringCodec.INSTANCE).removeListener(r);
        }
    }

    /** A process of its own: its own Redis client, started with {@code seeds} as WA_INSTANCES. */
    private ServedInstances process(String... seeds) {
        RedissonClient client = RedisConnector.connect(TestRedis.url(), 4);
        clients.add(client);
        ServedInstances p = new ServedInstances(client, List.of(seeds));
        p.start();
        processes.add(p);
        return p;
    }
}
