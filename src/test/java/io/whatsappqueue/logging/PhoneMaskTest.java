package io.whatsappqueue.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PhoneMaskTest {

    @Test
    void jidKeepsFirstAndLastFourDigitsAndItsDomain() {
        assertEquals("4477****0123@s.whatsapp.net", PhoneMask.mask("447700900123@s.whatsapp.net"));
    }

    @Test
    void formattedNumberBecomesMaskedDigits() {
        assertEquals("4477****0123", PhoneMask.mask("+44 7700 900123"));
        assertEquals("5511*****5678", PhoneMask.mask("+55 (11) 91234-5678"));
    }

    @Test
    void starsStandForEveryHiddenDigit() {
        assertEquals("5511*1234", PhoneMask.mask("551191234"));
        assertEquals("4477*******0123", PhoneMask.mask("447700900000123"));
    }

    @Test
    void numbersOfEightDigitsOrFewerShowOnlyTheLastTwo() {
        assertEquals("******78", PhoneMask.mask("12345678"));
        assertEquals("****56", PhoneMask.mask("+12 3456"));
        assertEquals("12", PhoneMask.mask("12"));
    }

    @Test
    void lidFollowsTheSameRule() {
        assertEquals("1234*******2345@lid", PhoneMask.mask("123456789012345@lid"));
        assertEquals("******78@lid", PhoneMask.mask("12345678@lid"));
    }

    @Test
    void deviceSuffixOfALinkedDeviceJidIsKept() {
        assertEquals("4477****0123:12@s.whatsapp.net", PhoneMask.mask("447700900123:12@s.whatsapp.net"));
    }

    @Test
    void nullEmptyAndDigitlessValuesAreReturnedAsTheyAre() {
        assertNull(PhoneMask.mask(null));
        assertEquals("", PhoneMask.mask(""));
        assertEquals("status@broadcast", PhoneMask.mask("status@broadcast"));
    }
}
