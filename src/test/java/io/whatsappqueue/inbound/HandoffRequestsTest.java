package io.whatsappqueue.inbound;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which messages ask for a person with the default WA_HANDOFF_KEYWORDS (as application.properties holds them):
 * whole messages in English, Spanish, Portuguese and Russian, whatever their case, accents, punctuation or emoji,
 * and button or list ids; never a sentence that merely contains a keyword.
 */
class HandoffRequestsTest {
    private static final HandoffRequests DEFAULTS = new HandoffRequests(ReceptionistSettings.load(name ->
            name.equals("WA_HANDOFF_KEYWORDS") ? defaultKeywords() : defaults().get(name)).handoffKeywords);

    @Test
    void wholeMessagesInEachDefaultLanguageAskForAPerson() {
        assertThat(DEFAULTS.asksForPerson("Talk to a person!", null)).isTrue();
        assertThat(DEFAULTS.asksForPerson("HUMAN please 🙏", null)).isTrue();
        assertThat(DEFAULTS.asksForPerson("¡Atención humana!", null)).as("accents and inverted marks").isTrue();
        assertThat(DEFAULTS.asksForPerson("Quiero hablar con una persona.", null)).isTrue();
        assertThat(DEFAULTS.asksForPerson("Quero falar com atendente", null)).isTrue();
        assertThat(DEFAULTS.asksForPerson("falar com alguém", null)).as("é as e").isTrue();
        assertThat(DEFAULTS.asksForPerson("Позовите человека!", null)).isTrue();
        assertThat(DEFAULTS.asksForPerson("ЖИВОЙ ЧЕЛОВЕК", null)).isTrue();
        // questions people actually send (a newcomer's review found these answered by the bot)
        assertThat(DEFAULTS.asksForPerson("Can I talk to a person?", null)).isTrue();
        assertThat(DEFAULTS.asksForPerson("I want to talk to a human", null)).isTrue();
        assertThat(DEFAULTS.asksForPerson("Quiero hablar con un humano", null)).isTrue();
        assertThat(DEFAULTS.asksForPerson("Posso falar com uma pessoa?", null)).isTrue();
    }

    @Test
    void sentencesThatMerelyContainAKeywordDoNot() {
        assertThat(DEFAULTS.asksForPerson("I don't want to talk to a human", null)).isFalse();
        assertThat(DEFAULTS.asksForPerson("Is the doctor a real person or a robot?", null)).isFalse();
        assertThat(DEFAULTS.asksForPerson("No quiero hablar con una persona", null)).isFalse();
    }

    @Test
    void buttonOrListIdsAreComparedLikeWords() {
        assertThat(DEFAULTS.asksForPerson("Reception", "talk_to_human")).isTrue();
        assertThat(DEFAULTS.asksForPerson("Reception", "HANDOFF")).isTrue();
        assertThat(DEFAULTS.asksForPerson("Opening hours", "opt_hours")).isFalse();
    }

    @Test
    void noKeywordsTurnHandoffOff() {
        assertThat(new HandoffRequests(java.util.Set.of()).asksForPerson("human", "handoff")).isFalse();
    }

    /** WA_HANDOFF_KEYWORDS's default exactly as application.properties writes it. */
    private static String defaultKeywords() {
        String raw = defaults().get("WA_HANDOFF_KEYWORDS");
        return raw.substring("{{env:WA_HANDOFF_KEYWORDS:".length(), raw.length() - 2);
    }

    private static Map<String, String> defaults() {
        Properties p = new Properties();
        try (var in = HandoffRequestsTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> m = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(n -> m.put(n, p.getProperty(n)));
        m.put("WA_OUT_OF_HOURS", "notice");
        m.put("WA_HANDOFF_REPLY", "ok");
        m.put("WA_HANDOFF_PAUSE_S", "14400");
        m.put("WA_HANDOFF_NOTIFY_TO", null);
        m.put("WA_HANDOFF_WEBHOOK_URL", null);
        m.put("WA_HANDOFF_WEBHOOK_SECRET", null);
        m.put("WA_STATUS_CALLBACK_SECRET", null);
        m.put("WA_NON_TEXT_REPLY", null);
        return m;
    }
}
