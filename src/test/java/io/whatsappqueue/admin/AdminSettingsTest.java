package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import io.whatsappqueue.config.ConfigException;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {

    @Test
    void adminSettingsNameTheVariableThatIsWrong() {
        Map<String, String> env = new HashMap<>(Map.of("WA_HEALTH_MAX_QUEUE_DEPTH", "100", "WA_HEALTH_MAX_DLQ_DEPTH", "ten",
                "WA_HEALTH_STUCK_IDLE_MS", "300000", "WA_OPTOUT_KEYWORDS", "STOP,START", "WA_OPTIN_KEYWORDS", "start"));

        ConfigException e = assertThrows(ConfigException.class, () -> AdminSettings.load(env::get));

        assertTrue(e.getMessage().contains("WA_HEALTH_MAX_DLQ_DEPTH"), e.getMessage());
        assertTrue(e.getMessage().contains("'start' is in both"), e.getMessage());   // keywords compare case-folded
    }
}
