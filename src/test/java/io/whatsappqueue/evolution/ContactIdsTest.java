package io.whatsappqueue.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


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
}
