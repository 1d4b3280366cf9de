package io.whatsappqueue.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClinicKnowledgeLoaderTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final ClinicKnowledgeLoader loader = new ClinicKnowledgeLoader();

    @TempDir
    Path dir;

    @Test
    void bundledExampleIsValidAndUsedWhenNoFileIsGiven() {
        ClinicKnowledge knowledge = loader.load(null);

        assertEquals("Riverside Family Clinic", knowledge.name());
        assertEquals("+44 20 7946 0000", knowledge.phone());
        assertEquals(5, knowledge.services().size());
        assertEquals(6, knowledge.faq().size());
        assertEquals("08:00–18:30", knowledge.hours().byDay().get("Monday"));
        assertEquals("Monday", knowledge.hours().byDay().keySet().iterator().next(), "day order is kept");
        assertEquals(knowledge, loader.load("  "));
        assertEquals(knowledge, loader.load(ClinicKnowledgeLoader.BUNDLED_EXAMPLE));
    }

    @Test
    void fileGivenByPathIsLoaded() throws IOException {
        Path file = exampleWith(root -> root.put("name", "Hillside Practice").put("hours", "Weekdays 9-5"));

        ClinicKnowledge knowledge = loader.load(file.toString());

        assertEquals("Hillside Practice", knowledge.name());
        assertEquals("Weekdays 9-5", knowledge.hours().describe());
    }

    @Test
    void missingServicePriceIsReportedWithFileAndIndex() throws IOException {
        Path file = exampleWith(root -> ((ObjectNode) root.get("services").get(2)).remove("price"));

        assertFailure(file, "services[2].price is missing");
    }

    @Test
    void missingRequiredTopLevelFieldIsReported() throws IOException {
        assertFailure(exampleWith(root -> root.remove("name")), "name is missing");
        assertFailure(exampleWith(root -> root.remove("address")), "address is missing");
        assertFailure(exampleWith(root -> root.remove("hours")), "hours is missing");
        assertFailure(exampleWith(root -> root.remove("faq")), "faq is missing");
    }

    @Test
    void missingFaqAnswerIsReported() throws IOException {
        Path file = exampleWith(root -> ((ObjectNode) root.get("faq").get(1)).remove("answer"));

        assertFailure(file, "faq[1].answer is missing");
    }

    @Test
    void unknownTopLevelKeyIsRejected() throws IOException {
        Path file = exampleWith(root -> root.put("adress", "1 Typo Street"));

        assertFailure(file, "adress is not a known key (allowed: address, closed_dates, fallback, faq, greeting, "
                + "hours, language, name, phone, services, timezone)");
    }

    @Test
    void unknownServiceKeyIsRejected() throws IOException {
        Path file = exampleWith(root -> ((ObjectNode) root.get("services").get(0)).put("prise", "£1"));

        assertFailure(file, "services[0].prise is not a known key (allowed: description, duration, name, price)");
    }

    @Test
    void fieldOfWrongTypeIsReported() throws IOException {
        assertFailure(exampleWith(root -> root.put("services", "all of them")), "services must be a list");
        assertFailure(exampleWith(root -> root.putArray("services")), "services must list at least one service with a name and a price");
        assertFailure(exampleWith(root -> ((ObjectNode) root.get("hours")).put("Sunday", 0)), "hours.Sunday must be text");
        assertFailure(exampleWith(root -> ((ArrayNode) root.get("faq").get(0).get("keywords")).add("")),
                "faq[0].keywords[9] must be a non-empty word or phrase");
        assertFailure(exampleWith(root -> root.put("phone", 2079460000L)),
                "phone must be quoted text, e.g. phone: \"+44 20 7946 0000\"");
        assertFailure(exampleWith(root -> root.put("greeting", "  ")), "greeting is empty");
    }

    @Test
    void numericPriceIsAcceptedAsWritten() throws IOException {
        Path file = dir.resolve("clinic.yaml");
        Files.writeString(file, """
                name: Tiny Clinic
                hours: Weekdays 9-5
                address: 1 High Street
                phone: "+44 20 7946 0001"
                services:
                  - name: Check-up
                    price: 45.50
                faq: []
                """);

        ClinicKnowledge knowledge = loader.load(file.toString());

        assertEquals("45.50", knowledge.services().get(0).price());
        assertTrue(knowledge.faq().isEmpty());
        assertTrue(knowledge.fallbackText().contains("+44 20 7946 0001"), "the default fallback names the phone");
    }

    @Test
    void invalidYamlIsReportedWithItsLine() throws IOException {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "name: Broken\nservices: [unclosed\n");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> loader.load(file.toString()));

        assertEquals("WA_KNOWLEDGE_FILE " + file + ": is not valid YAML (line 3, column 1: expected ',' or ']', "
                + "but got <stream end>)", error.getMessage());
    }

    @Test
    void duplicateKeyIsReported() throws IOException {
        Path file = dir.resolve("twice.yaml");
        Files.writeString(file, "name: One\nname: Two\n");

        assertFailure(file, "is not valid YAML (line 2, column 5: Duplicate field 'name')");
    }

    @Test
    void missingEmptyOrNonMappingFileIsReported() throws IOException {
        Path missing = dir.resolve("nowhere.yaml");
        assertFailure(missing, "file not found");

        Path empty = Files.writeString(dir.resolve("empty.yaml"), "# nothing yet\n");
        assertFailure(empty, "is empty; expected keys address, closed_dates, fallback, faq, greeting, hours, language, name, phone, services, timezone");

        Path list = Files.writeString(dir.resolve("list.yaml"), "- just\n- a list\n");
        assertTrue(failure(list).endsWith(": must be a YAML mapping with keys address, closed_dates, fallback, faq, "
                + "greeting, hours, language, name, phone, services, timezone"));

        assertFailure(dir, "is a directory, expected a YAML file");
    }

    @Test
    void timezoneTurnsTheHoursIntoASchedule() throws IOException {
        Path file = exampleWith(root -> root.put("timezone", "Europe/London")
                .set("closed_dates", YAML.createArrayNode().add("2026-12-25")));

        OpeningSchedule schedule = loader.load(file.toString()).schedule().orElseThrow();

        assertEquals("Europe/London", schedule.zone().getId());
        assertEquals(java.util.List.of(new OpeningSchedule.Range(java.time.LocalTime.of(8, 0), java.time.LocalTime.of(20, 0))),
                schedule.week().get(java.time.DayOfWeek.THURSDAY), "the bundled example's hours are read as times");
        assertTrue(schedule.week().get(java.time.DayOfWeek.SUNDAY).isEmpty());
        assertEquals(java.util.Set.of(java.time.LocalDate.of(2026, 12, 25)), schedule.closedDates());
        assertTrue(loader.load(null).schedule().isEmpty(), "no timezone: free-text hours, no schedule");
    }

    @Test
    void scheduleMistakesAreReportedNamingTheField() throws IOException {
        assertFailure(exampleWith(root -> root.put("timezone", "Europe/Madird")),
                "timezone 'Europe/Madird' is not an IANA time zone name (e.g. Europe/Madrid, America/Sao_Paulo)");
        assertFailure(exampleWith(root -> root.put("timezone", "Europe/Madrid").put("hours", "Weekdays 9-5")),
                "hours must be a mapping of weekday to opening hours when timezone is set "
                        + "(e.g. Monday: 08:00-13:00, 14:00-18:30)");
        assertFailure(exampleWith(root -> root.put("timezone", "Europe/Madrid")
                        .set("hours", YAML.createObjectNode().put("Funday", "08:00-12:00"))),
                "hours.Funday is not a weekday (Monday … Sunday, or Mon … Sun)");
        assertFailure(exampleWith(root -> root.put("timezone", "Europe/Madrid")
                        .set("hours", YAML.createObjectNode().put("Monday", "8 to 6"))),
                "hours.Monday must be closed or ranges like 08:00-13:00, 14:00-18:30; got '8 to 6'");
        assertFailure(exampleWith(root -> root.put("timezone", "Europe/Madrid")
                        .set("hours", YAML.createObjectNode().put("Monday", "18:00-08:00"))),
                "hours.Monday: 18:00-08:00 ends before it starts (a range cannot pass midnight; end the day at 24:00 "
                        + "and start the next at 00:00)");
        assertFailure(exampleWith(root -> root.put("timezone", "Europe/Madrid")
                        .set("hours", YAML.createObjectNode().put("Monday", "08:00-13:00, 12:00-18:00"))),
                "hours.Monday: ranges must be in order and must not overlap; got '08:00-13:00, 12:00-18:00'");
        assertFailure(exampleWith(root -> root.put("timezone", "Europe/Madrid")
                        .set("hours", YAML.createObjectNode().put("Mon", "08:00-13:00").put("Monday", "closed"))),
                "hours.Monday names Monday a second time");
        assertFailure(exampleWith(root -> root.set("closed_dates", YAML.createArrayNode().add("2026-12-25"))),
                "closed_dates needs timezone (an IANA name such as Europe/Madrid)");
        assertFailure(exampleWith(root -> root.put("timezone", "Europe/Madrid")
                        .set("closed_dates", YAML.createArrayNode().add("25/12/2026"))),
                "closed_dates[0] must be a date written YYYY-MM-DD, got '25/12/2026'");
    }

    private void assertFailure(Path file, String problem) {
        assertEquals("WA_KNOWLEDGE_FILE " + file + ": " + problem, failure(file));
    }

    private String failure(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> loader.load(file.toString())).getMessage();
    }

    /** The bundled example with one change, written to a file of its own. */
    private Path exampleWith(Consumer<ObjectNode> change) throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/knowledge/example-clinic.yaml")) {
            root = YAML.readTree(in);
        }
        change.accept((ObjectNode) root);
        Path file = Files.createTempFile(dir, "clinic", ".yaml");
        YAML.writeValue(file.toFile(), root);
        return file;
    }
}
