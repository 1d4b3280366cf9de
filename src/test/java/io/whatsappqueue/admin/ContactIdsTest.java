package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import io.whatsappqueue.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Every way a contact arrives maps to one form, so a pause or opt-out set one way holds for all of them. */
class ContactIdsTest {

    @Test
    void everyFormOfAPhoneNumberIsTheSameContact() {
        for (String form : new String[] {"447700900123", "+447700900123", "+44 7700 900123", "+44 (7700) 900-123",
                "447700900123@s.whatsapp.net", "447700900123:12@s.whatsapp.net", " 447700900123@S.WHATSAPP.NET "}) {
            assertEquals("447700900123", ContactIds.normalise(form), form);
        }
    }

    @Test
    void lidAndGroupIdsKeepTheirDomain() {
        assertEquals("123456789012345@lid", ContactIds.normalise("123456789012345@lid"));
        assertEquals("120363040000000000@g.us", ContactIds.normalise("120363040000000000@g.us"));
    }

    @Test
    void thingsThatAreNotContactsAreRejected() {
        for (String bad : new String[] {null, "", "   ", "not-a-number", "12", "a@b@c", "x".repeat(200), "4477 0090 abc"}) {
            assertNull(ContactIds.normalise(bad), String.valueOf(bad));
        }
    }

    @Test
    void adminSettingsNameTheVariableThatIsWrong() {
        Map<String, String> env = new HashMap<>(Map.of("WA_HEALTH_MAX_QUEUE_DEPTH", "100", "WA_HEALTH_MAX_DLQ_DEPTH", "ten",
                "WA_HEALTH_STUCK_IDLE_MS", "300000", "WA_OPTOUT_KEYWORDS", "STOP,START", "WA_OPTIN_KEYWORDS", "start"));

        ConfigException e = assertThrows(ConfigException.class, () -> AdminSettings.load(env::get));

        assertTrue(e.getMessage().contains("WA_HEALTH_MAX_DLQ_DEPTH"), e.getMessage());
        assertTrue(e.getMessage().contains("'START' is in both"), e.getMessage());
    }
}
