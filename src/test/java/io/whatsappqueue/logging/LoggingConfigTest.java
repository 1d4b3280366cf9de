package io.whatsappqueue.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production log4j2.xml, loaded as the application loads it: in a fresh JVM with the
 * environment the operator sets. Checks the pattern and JSON layouts and LOG_LEVEL.
 */
class LoggingConfigTest {

    private static final String PATTERN_LINE =
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2},\\d{3} %-5s \\[main\\] i\\.w\\.l\\.LogFormatProbe - %s";

    @TempDir
    Path tmp;

    @Test
    void patternLayoutIsTheDefault() throws Exception {
        List<String> lines = runProbe(Map.of());

        assertEquals(2, lines.size(), () -> "lines: " + lines);
        assertTrue(lines.get(0).matches(String.format(PATTERN_LINE, "INFO", "probe info")), lines.get(0));
        assertTrue(lines.get(1).matches(String.format(PATTERN_LINE, "WARN", "probe warn")), lines.get(1));
    }

    @Test
    void logFormatJsonWritesOneEcsObjectPerLine() throws Exception {
        List<String> lines = runProbe(Map.of("LOG_FORMAT", "json"));

        assertEquals(2, lines.size(), () -> "lines: " + lines);
        JsonNode info = new ObjectMapper().readTree(lines.get(0));
        assertEquals("probe info", info.path("message").asText());
        assertEquals("INFO", info.path("log.level").asText());
        assertEquals("io.whatsappqueue.logging.LogFormatProbe", info.path("log.logger").asText());
        assertEquals("whatsapp-queue", info.path("service.name").asText());
        assertTrue(info.hasNonNull("@timestamp"), lines.get(0));
        assertEquals("probe warn", new ObjectMapper().readTree(lines.get(1)).path("message").asText());
    }

    @Test
    void logLevelSetsTheRootLevel() throws Exception {
        List<String> lines = runProbe(Map.of("LOG_LEVEL", "WARN"));

        assertEquals(1, lines.size(), () -> "lines: " + lines);
        assertTrue(lines.get(0).endsWith("probe warn"), lines.get(0));
    }

    @Test
    void testConfigurationQuietsCamelAndKeepsOurInfo() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);

        assertEquals("whatsapp-queue-test", context.getConfiguration().getName());
        assertEquals(Level.WARN, context.getLogger("org.apache.camel.main.MainSupport").getLevel());
        assertEquals(Level.INFO, context.getLogger("io.whatsappqueue.stream.Probe").getLevel());
        assertEquals(Level.WARN, context.getLogger("org.redisson.Redisson").getLevel());
    }

    /** Runs {@link LogFormatProbe} with src/main's log4j2.xml and returns its stdout lines; stderr must stay empty. */
    private List<String> runProbe(Map<String, String> env) throws IOException, InterruptedException {
        Path config = Paths.get("src/main/resources/log4j2.xml").toAbsolutePath();
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlog4j2.configurationFile=" + config.toUri(),
                LogFormatProbe.class.getName())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("LOG_FORMAT");
        builder.environment().remove("LOG_LEVEL");
        builder.environment().putAll(env);

        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe did not finish in 60 s");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), stderr);
        assertEquals("", stderr, "log4j reported problems with the configuration");
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }
}
