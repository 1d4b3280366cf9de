package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestApp;
import io.whatsappqueue.support.TestRedis;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

/** Chat pauses and opt-outs: the admin endpoints and the chatControls bean the reply and send routes call. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatControlsTest {
    private static final AdminHttp ADMIN = AdminHttp.as(TestApp.ADMIN_TOKEN);

    @RegisterExtension
    static final TestApp APP = TestApp.web("ch-pause,ch-list,ch-opt,ch-bad").with(Map.of(
                "WA_OPTOUT_KEYWORDS", "STOP,UNSUBSCRIBE,СТОП",
                "WA_OPTIN_KEYWORDS", "START"));

    @BeanInject
    ChatControls chatControls;

    @Test
    void pausingAChatKeepsItInRedisWithATtlUnderAHashedKey() {
        AdminHttp.Answer a = ADMIN.post("/admin/chats/+447700900123/pause?instance=ch-pause&minutes=5");

        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertEquals("4477****0123", r.get("contact").asText());
        assertEquals(5, r.get("minutes").asInt());
        assertEquals(1, r.get("paused_count").asInt());
        assertTrue(chatControls.isPaused("ch-pause", "447700900123@s.whatsapp.net"), "every form of the number");
        assertTrue(chatControls.isPaused("ch-pause", "447700900123:7@s.whatsapp.net"));
        assertFalse(chatControls.isPaused("ch-pause", "447700900999"));
        String key = Keys.chatPause("ch-pause", Keys.sha256("447700900123"));
        long ttl = TestRedis.client().getBucket(key, StringCodec.INSTANCE).remainTimeToLive();
        assertTrue(ttl > 0 && ttl <= 300_000, "ttl " + ttl);
        assertEquals(0, TestStreams.keysContaining("447700900123"), "no number in key names");

        ChatControls afterRestart = new ChatControls(TestRedis.client(), Set.of("STOP"), Set.of("START"));
        assertTrue(afterRestart.isPaused("ch-pause", "447700900123"), "the pause is in Redis, not in memory");
    }

    @Test
    void pausedChatsAreListedMaskedAndResumeEndsThePause() {
        ADMIN.post("/admin/chats/447700900124@s.whatsapp.net/pause?instance=ch-list");

        JsonNode list = ADMIN.get("/admin/chats/paused?instance=ch-list").json();
        assertEquals(1, list.get("paused_count").asInt());
        assertEquals("4477****0124", list.at("/paused/0/contact").asText());
        assertTrue(list.at("/paused/0/remaining_seconds").asLong() > 3500, "default 60 minutes");
        assertFalse(list.toString().contains("447700900124"));
        JsonNode revealed = ADMIN.get("/admin/chats/paused?instance=ch-list&reveal=true").json();
        assertEquals("447700900124", revealed.at("/paused/0/contact").asText());

        JsonNode resumed = ADMIN.post("/admin/chats/447700900124/resume?instance=ch-list").json();
        assertTrue(resumed.get("was_paused").asBoolean());
        assertEquals(0, resumed.get("paused_count").asInt());
        assertFalse(chatControls.isPaused("ch-list", "447700900124"));
        assertFalse(ADMIN.post("/admin/chats/447700900124/resume?instance=ch-list").json().get("was_paused").asBoolean());
    }

    @Test
    void optOutLastsUntilOptInAndIsListed() {
        chatControls.setOptOut("ch-opt", "+44 7700 900125", true);

        assertTrue(chatControls.isOptedOut("ch-opt", "447700900125@s.whatsapp.net"));
        assertFalse(chatControls.isOptedOut("ch-opt", "447700900126"));
        assertFalse(chatControls.isOptedOut("ch-pause", "447700900125"), "per instance");
        JsonNode list = ADMIN.get("/admin/chats/paused?instance=ch-opt").json();
        assertEquals(1, list.get("opted_out_count").asInt());
        assertEquals("4477****0125", list.at("/opted_out/0/contact").asText());

        chatControls.setOptOut("ch-opt", "447700900125", false);
        assertFalse(chatControls.isOptedOut("ch-opt", "447700900125"));
        assertEquals(0, ADMIN.get("/admin/chats/paused?instance=ch-opt").json().get("opted_out_count").asInt());
    }

    @Test
    void lidContactsKeepTheirDomain() {
        chatControls.pause("ch-opt", "123456789012345@lid", Duration.ofMinutes(1));

        assertTrue(chatControls.isPaused("ch-opt", "123456789012345@lid"));
        assertFalse(chatControls.isPaused("ch-opt", "123456789012345"), "a LID is not a phone number");
        assertTrue(chatControls.resume("ch-opt", "123456789012345@lid"));
    }

    @Test
    void wholeMessagesThatAreKeywordsOptOutOrIn() {
        assertEquals(Optional.of(true), chatControls.optKeyword("STOP"));
        assertEquals(Optional.of(true), chatControls.optKeyword("  stop. "));
        assertEquals(Optional.of(true), chatControls.optKeyword("Стоп!"));
        assertEquals(Optional.of(true), chatControls.optKeyword("Unsubscribe"));
        assertEquals(Optional.of(false), chatControls.optKeyword("start"));
        assertEquals(Optional.empty(), chatControls.optKeyword("please stop writing at night"));
        assertEquals(Optional.empty(), chatControls.optKeyword("stopper"));
        assertEquals(Optional.empty(), chatControls.optKeyword(""));
        assertEquals(Optional.empty(), chatControls.optKeyword(null));
    }

    @Test
    void invalidContactsAndDurationsAreRefused() {
        AdminHttp.Answer contact = ADMIN.post("/admin/chats/not-a-number/pause?instance=ch-bad");
        AdminHttp.Answer minutes = ADMIN.post("/admin/chats/447700900127/pause?instance=ch-bad&minutes=0");
        AdminHttp.Answer instance = ADMIN.post("/admin/chats/447700900127/pause?instance=elsewhere");

        assertEquals(422, contact.status(), contact.body());
        assertEquals("invalid_contact", contact.json().get("error").asText());
        assertEquals(400, minutes.status(), minutes.body());
        assertTrue(minutes.json().get("message").asText().contains("minutes"));
        assertEquals(404, instance.status());
        assertEquals(0, TestStreams.keysContaining("ch-bad"));
        assertEquals(0, TestStreams.keysContaining("elsewhere"));
    }
}
