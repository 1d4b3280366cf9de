package io.whatsappqueue.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Non-ASCII settings given as environment variables arrive intact even when the JVM's locale is not UTF-8. */
class EnvironmentTextTest {

    @Test
    void valuesTheJvmCouldNotDecodeAreReadAgainAsUtf8() {
        Map<String, String> seenByJava = Map.of("WA_OPTOUT_KEYWORDS", "STOP,\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD",
                "WA_INSTANCES", "demo");
        byte[] block = "WA_INSTANCES=demo\0WA_OPTOUT_KEYWORDS=STOP,СТОП\0PATH=/bin\0".getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of("WA_OPTOUT_KEYWORDS", "STOP,СТОП"), EnvironmentText.repaired(seenByJava, () -> block));
        assertEquals(Map.of(), EnvironmentText.repaired(Map.of("WA_INSTANCES", "demo"), () -> null), "nothing to do");
    }

    @Test
    void aValueThatCannotBeRestoredStopsStartUpNamingTheVariableAndTheFix() {
        Map<String, String> seenByJava = Map.of("WA_AI_FALLBACK_TEXT", "\uFFFD\uFFFD");
        ConfigException unreadable = assertThrows(ConfigException.class,
                () -> EnvironmentText.repaired(seenByJava, () -> null));
        assertTrue(unreadable.getMessage().contains("WA_AI_FALLBACK_TEXT") && unreadable.getMessage().contains("LANG=C.UTF-8"));
        byte[] latin1 = "WA_AI_FALLBACK_TEXT=\u00e9t\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        ConfigException notUtf8 = assertThrows(ConfigException.class,
                () -> EnvironmentText.repaired(seenByJava, () -> latin1));
        assertTrue(notUtf8.getMessage().contains("WA_AI_FALLBACK_TEXT"));
    }

    /** A real JVM started under the C locale, as in a bare container: Java alone turns СТОП into U+FFFD. */
    @Test
    void aJvmUnderTheCLocaleGetsTheUtf8ValueBack() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("WA_OPTOUT_KEYWORDS", "STOP,СТОП");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String lines = out.toString(StandardCharsets.US_ASCII);
        assertTrue(lines.contains("java=STOP,\\ufffd"), "the JVM alone garbles it: " + lines);
        assertTrue(lines.contains("restored=STOP,\\u0421\\u0422\\u041e\\u041f"), lines);
    }

    /**
     * The whole service under the C locale: Java alone reads both Russian keywords as U+FFFD only, which is no
     * keyword, and the service refuses to start ("must list at least one keyword"); restored, it starts.
     */
    @Test
    void theServiceStartsUnderTheCLocaleWithRussianKeywords() {
        Map<String, String> env = new java.util.HashMap<>(io.whatsappqueue.support.TestApp.workerEnv("c-locale",
                "http://127.0.0.1:9", Map.of()));
        env.put("LC_ALL", "C");
        env.put("WA_OPTOUT_KEYWORDS", "СТОП");
        env.put("WA_OPTIN_KEYWORDS", "ПУСК");
        try (var worker = io.whatsappqueue.support.WorkerProcess.startWorker(env)) {
            assertTrue(worker.isAlive());
        }
    }

    /** Run in the child JVM: prints what Java decoded and what {@link EnvironmentText} restored, ASCII-escaped. */
    public static final class Probe {
        public static void main(String[] args) {
            String java = System.getenv("WA_OPTOUT_KEYWORDS");
            String restored = EnvironmentText.repaired(System.getenv(), EnvironmentText::environBlock)
                    .getOrDefault("WA_OPTOUT_KEYWORDS", java);
            System.out.println("java=" + escape(java));
            System.out.println("restored=" + escape(restored));
        }

        private static String escape(String s) {
            StringBuilder b = new StringBuilder();
            s.chars().forEach(c -> b.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
            return b.toString();
        }
    }
}
