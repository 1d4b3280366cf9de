package io.whatsappqueue.evolution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme-support", "a", "Clinic_01.prod", "0",
            "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01"})
    void safeNamesAreValid(String name) {
        assertTrue(InstanceNames.isValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-acme", ".acme", "_acme", "acme support", "acme/..", "acme:1", "{acme}",
            "acme\n", "caf\u00e9", "acme\u0000"})
    void namesOutsideThePatternAreInvalid(String name) {
        assertFalse(InstanceNames.isValid(name));
    }

    @Test
    void nullAndTooLongNamesAreInvalid() {
        assertFalse(InstanceNames.isValid(null));
        assertFalse(InstanceNames.isValid("x".repeat(65)));
    }

    @Test
    void printableAsciiIsKeptAsIs() {
        assertEquals("acme-support 1.0", InstanceNames.safeForLog("acme-support 1.0"));
    }

    @Test
    void controlAndNonAsciiCharactersAreEscapedSoALogLineCannotBeForged() {
        assertEquals("a\\u000d\\u000aINFO fake\\u0009\\u001b[31m",
                InstanceNames.safeForLog("a\r\nINFO fake\t\u001b[31m"));
        assertEquals("caf\\u00e9 \\ud83c\\udf38 \\u202e", InstanceNames.safeForLog("caf\u00e9 \ud83c\udf38 \u202e"));
        assertEquals("say \\\"hi\\\" \\\\ bye", InstanceNames.safeForLog("say \"hi\" \\ bye"));
    }

    @Test
    void longValuesAreCutToEightyCharactersWithAMarker() {
        String escaped = InstanceNames.safeForLog("x".repeat(1_000_000));
        assertEquals(80, escaped.length());
        assertTrue(escaped.endsWith("..."));
        assertEquals("x".repeat(80), InstanceNames.safeForLog("x".repeat(80)));
    }

    @Test
    void truncationNeverSplitsAnEscape() {
        String escaped = InstanceNames.safeForLog("\u00e9".repeat(100));
        assertTrue(escaped.length() <= 80, escaped);
        assertTrue(escaped.matches("(\\\\u00e9)+\\.\\.\\."), escaped);
    }

    @Test
    void nullIsShownAsAMarker() {
        assertEquals("<null>", InstanceNames.safeForLog(null));
    }
}
