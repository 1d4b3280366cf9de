package io.whatsappqueue.ai;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.whatsappqueue.ai.ClinicKnowledge.Faq;
import io.whatsappqueue.ai.ClinicKnowledge.OpeningHours;
import io.whatsappqueue.ai.ClinicKnowledge.Service;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.EnumMap;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates the clinic knowledge file ({@code WA_KNOWLEDGE_FILE}) once at start-up.
 *
 * <p>A mistake in this file would otherwise surface as wrong answers to patients, so every problem
 * stops the start with one message naming the file and the field, for example
 * {@code WA_KNOWLEDGE_FILE /etc/clinic.yaml: services[2].price is missing} (list indexes count from 0).
 * Unknown keys are rejected too, because a misspelt key ("adress") would silently drop a fact.
 */
public final class ClinicKnowledgeLoader {

    /** Used when {@code WA_KNOWLEDGE_FILE} is unset, so the app answers something sensible out of the box. */
    public static final String BUNDLED_EXAMPLE = "classpath:knowledge/example-clinic.yaml";

    private static final String CLASSPATH_PREFIX = "classpath:";
    private static final Set<String> TOP_LEVEL_KEYS =
            Set.of("name", "hours", "address", "phone", "services", "faq", "greeting", "fallback", "language",
                    "timezone", "closed_dates");
    private static final Set<String> SERVICE_KEYS = Set.of("name", "price", "description", "duration");
    private static final Set<String> FAQ_KEYS = Set.of("question", "answer", "keywords");

    private final YAMLMapper yaml;

    public ClinicKnowledgeLoader() {
        yaml = YAMLMapper.builder()
                // A key written twice would otherwise let the second value win unnoticed.
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                // Keep "45.50" as written instead of turning a price into 45.5.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build();
    }

    /**
     * Loads the knowledge from a file path, from {@code classpath:...}, or the bundled example when
     * {@code location} is null or blank.
     *
     * @throws IllegalArgumentException naming the file and the field when the file is unreadable or invalid
     */
    public ClinicKnowledge load(String location) {
        String effective = location == null || location.isBlank() ? BUNDLED_EXAMPLE : location.strip();
        Fields fields = new Fields("WA_KNOWLEDGE_FILE " + effective);
        return parse(readTree(effective, fields), fields);
    }

    private JsonNode readTree(String location, Fields fields) {
        try (InputStream in = open(location, fields)) {
            return yaml.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw fields.error("is not valid YAML (" + describe(e) + ")");
        } catch (NoSuchFileException e) {
            throw fields.error("file not found");
        } catch (AccessDeniedException e) {
            throw fields.error("cannot be read (permission denied)");
        } catch (IOException e) {
            throw fields.error("cannot be read (" + e.getMessage() + ")");
        }
    }

    private static InputStream open(String location, Fields fields) throws IOException {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String resource = location.substring(CLASSPATH_PREFIX.length()).replaceFirst("^/", "");
            InputStream in = ClinicKnowledgeLoader.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw fields.error("not found on the classpath");
            }
            return in;
        }
        Path path = Path.of(location);
        if (Files.isDirectory(path)) {
            throw fields.error("is a directory, expected a YAML file");
        }
        return Files.newInputStream(path);
    }

    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException syntax && syntax.getProblemMark() != null) {
            // SnakeYAML's own text spans several lines with a source excerpt; the problem and mark are enough.
            Mark mark = syntax.getProblemMark();
            return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + syntax.getProblem();
        }
        JsonLocation where = e.getLocation();
        String problem = e.getOriginalMessage();
        return where == null || where.getLineNr() < 1
                ? problem
                : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": " + problem;
    }

    private static ClinicKnowledge parse(JsonNode root, Fields fields) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fields.error("is empty; expected keys " + String.join(", ", sorted(TOP_LEVEL_KEYS)));
        }
        if (!root.isObject()) {
            throw fields.error("must be a YAML mapping with keys " + String.join(", ", sorted(TOP_LEVEL_KEYS)));
        }
        fields.rejectUnknownKeys(root, "", TOP_LEVEL_KEYS);
        return new ClinicKnowledge(
                fields.requiredText(root, "name", ""),
                hours(root, fields),
                fields.requiredText(root, "address", ""),
                phone(root, fields),
                services(root, fields),
                faq(root, fields),
                fields.optionalText(root, "greeting", ""),
                fields.optionalText(root, "fallback", ""),
                fields.optionalText(root, "language", ""),
                schedule(root, fields));
    }

    /**
     * With {@code timezone}, the hours become a schedule: a mapping of weekday (Monday … Sunday, or Mon … Sun) to
     * {@code closed} or comma-separated ranges {@code HH:MM-HH:MM} (hyphen or dash; end up to 24:00); a day not
     * listed is closed. {@code closed_dates} lists ISO dates (2026-12-25) the clinic is closed whatever the day.
     */
    private static Optional<OpeningSchedule> schedule(JsonNode root, Fields fields) {
        Optional<String> timezone = fields.optionalText(root, "timezone", "");
        JsonNode closed = root.get("closed_dates");
        if (timezone.isEmpty()) {
            if (closed != null && !closed.isNull()) {
                throw fields.error("closed_dates needs timezone (an IANA name such as Europe/Madrid)");
            }
            return Optional.empty();
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone.get());
        } catch (DateTimeException e) {
            throw fields.error("timezone '" + timezone.get() + "' is not an IANA time zone name (e.g. Europe/Madrid, "
                    + "America/Sao_Paulo)");
        }
        JsonNode hours = root.get("hours");
        if (hours == null || !hours.isObject()) {
            throw fields.error("hours must be a mapping of weekday to opening hours when timezone is set "
                    + "(e.g. Monday: 08:00-13:00, 14:00-18:30)");
        }
        Map<DayOfWeek, List<OpeningSchedule.Range>> week = new EnumMap<>(DayOfWeek.class);
        for (Iterator<String> days = hours.fieldNames(); days.hasNext(); ) {
            String day = days.next();
            DayOfWeek weekday = weekday(day)
                    .orElseThrow(() -> fields.error("hours." + day + " is not a weekday (Monday … Sunday, or Mon … Sun)"));
            if (week.put(weekday, ranges(hours.get(day).asText(), "hours." + day, fields)) != null) {
                throw fields.error("hours." + day + " names " + weekday.getDisplayName(TextStyle.FULL, Locale.ENGLISH)
                        + " a second time");
            }
        }
        return Optional.of(new OpeningSchedule(zone, week, closedDates(closed, fields)));
    }

    private static final Pattern RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*[-–—]\\s*(\\d{1,2}):(\\d{2})");

    private static List<OpeningSchedule.Range> ranges(String text, String at, Fields fields) {
        String value = text.strip();
        if (value.equalsIgnoreCase("closed")) {
            return List.of();
        }
        List<OpeningSchedule.Range> ranges = new ArrayList<>();
        for (String part : value.split(",")) {
            Matcher m = RANGE.matcher(part.strip());
            if (!m.matches()) {
                throw fields.error(at + " must be closed or ranges like 08:00-13:00, 14:00-18:30; got '" + value + "'");
            }
            LocalTime start = time(m.group(1), m.group(2), false, at, fields);
            LocalTime end = time(m.group(3), m.group(4), true, at, fields);
            if (!end.isAfter(start)) {
                throw fields.error(at + ": " + part.strip() + " ends before it starts (a range cannot pass midnight; "
                        + "end the day at 24:00 and start the next at 00:00)");
            }
            if (!ranges.isEmpty() && start.isBefore(ranges.get(ranges.size() - 1).end())) {
                throw fields.error(at + ": ranges must be in order and must not overlap; got '" + value + "'");
            }
            ranges.add(new OpeningSchedule.Range(start, end));
        }
        return ranges;
    }

    private static LocalTime time(String hour, String minute, boolean end, String at, Fields fields) {
        int h = Integer.parseInt(hour);
        int m = Integer.parseInt(minute);
        if (end && h == 24 && m == 0) {
            return LocalTime.MAX;
        }
        if (h > 23 || m > 59) {
            throw fields.error(at + ": " + hour + ":" + minute + " is not a time of day");
        }
        return LocalTime.of(h, m);
    }

    private static Optional<DayOfWeek> weekday(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
            if (n.equals(full) || n.equals(full.substring(0, 3))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static Set<LocalDate> closedDates(JsonNode list, Fields fields) {
        if (list == null || list.isNull()) {
            return Set.of();
        }
        if (!list.isArray()) {
            throw fields.error("closed_dates must be a list of dates (e.g. - 2026-12-25)");
        }
        Set<LocalDate> dates = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String value = list.get(i).asText("").strip();
            try {
                dates.add(LocalDate.parse(value));
            } catch (DateTimeException e) {
                throw fields.error("closed_dates[" + i + "] must be a date written YYYY-MM-DD, got '" + value + "'");
            }
        }
        return dates;
    }

    private static OpeningHours hours(JsonNode root, Fields fields) {
        JsonNode hours = root.get("hours");
        if (hours == null || hours.isNull()) {
            throw fields.error("hours is missing");
        }
        if (hours.isTextual()) {
            return OpeningHours.ofText(fields.requiredText(root, "hours", ""));
        }
        if (!hours.isObject()) {
            throw fields.error("hours must be text or a mapping of day to hours (e.g. Monday: 08:00-18:00)");
        }
        if (hours.isEmpty()) {
            throw fields.error("hours must name at least one day");
        }
        Map<String, String> byDay = new LinkedHashMap<>();
        for (Iterator<String> days = hours.fieldNames(); days.hasNext(); ) {
            String day = days.next();
            byDay.put(day, fields.requiredText(hours, day, "hours."));
        }
        return OpeningHours.ofDays(byDay);
    }

    private static String phone(JsonNode root, Fields fields) {
        JsonNode phone = root.get("phone");
        if (phone != null && phone.isNumber()) {
            // YAML turns an unquoted 02079460000 into a number and drops the leading 0 (or reads it as octal).
            throw fields.error("phone must be quoted text, e.g. phone: \"+44 20 7946 0000\"");
        }
        return fields.requiredText(root, "phone", "");
    }

    private static List<Service> services(JsonNode root, Fields fields) {
        JsonNode list = fields.requiredList(root, "services");
        if (list.isEmpty()) {
            throw fields.error("services must list at least one service with a name and a price");
        }
        List<Service> services = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "services[" + i + "].";
            JsonNode item = fields.requiredMapping(list.get(i), "services[" + i + "]");
            fields.rejectUnknownKeys(item, at, SERVICE_KEYS);
            services.add(new Service(
                    fields.requiredText(item, "name", at),
                    fields.requiredTextOrNumber(item, "price", at),
                    fields.optionalText(item, "description", at),
                    fields.optionalTextOrNumber(item, "duration", at)));
        }
        return services;
    }

    private static List<Faq> faq(JsonNode root, Fields fields) {
        JsonNode list = fields.requiredList(root, "faq");
        List<Faq> faq = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "faq[" + i + "].";
            JsonNode item = fields.requiredMapping(list.get(i), "faq[" + i + "]");
            fields.rejectUnknownKeys(item, at, FAQ_KEYS);
            faq.add(new Faq(
                    fields.requiredText(item, "question", at),
                    fields.requiredText(item, "answer", at),
                    keywords(item, at, fields)));
        }
        return faq;
    }

    private static List<String> keywords(JsonNode item, String at, Fields fields) {
        JsonNode list = item.get("keywords");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw fields.error(at + "keywords must be a list of words or phrases");
        }
        List<String> keywords = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            JsonNode keyword = list.get(k);
            if (!keyword.isTextual() || keyword.asText().isBlank()) {
                throw fields.error(at + "keywords[" + k + "] must be a non-empty word or phrase");
            }
            keywords.add(keyword.asText().strip());
        }
        return keywords;
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }

    /** Field checks that all report against the same file, so every message reads the same way. */
    private record Fields(String source) {

        IllegalArgumentException error(String problem) {
            return new IllegalArgumentException(source + ": " + problem);
        }

        void rejectUnknownKeys(JsonNode mapping, String at, Set<String> allowed) {
            for (Iterator<String> keys = mapping.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!allowed.contains(key)) {
                    throw error(at + key + " is not a known key (allowed: " + String.join(", ", sorted(allowed)) + ")");
                }
            }
        }

        JsonNode requiredList(JsonNode parent, String key) {
            JsonNode value = parent.get(key);
            if (value == null || value.isNull()) {
                throw error(key + " is missing");
            }
            if (!value.isArray()) {
                throw error(key + " must be a list");
            }
            return value;
        }

        JsonNode requiredMapping(JsonNode value, String at) {
            if (value == null || !value.isObject()) {
                throw error(at + " must be a mapping");
            }
            return value;
        }

        String requiredText(JsonNode parent, String key, String at) {
            return optionalText(parent, key, at).orElseThrow(() -> error(at + key + " is missing"));
        }

        String requiredTextOrNumber(JsonNode parent, String key, String at) {
            return optionalTextOrNumber(parent, key, at).orElseThrow(() -> error(at + key + " is missing"));
        }

        Optional<String> optionalText(JsonNode parent, String key, String at) {
            JsonNode value = parent.get(key);
            if (value != null && !value.isNull() && !value.isTextual()) {
                throw error(at + key + " must be text");
            }
            return nonBlank(value, key, at);
        }

        Optional<String> optionalTextOrNumber(JsonNode parent, String key, String at) {
            JsonNode value = parent.get(key);
            if (value != null && !value.isNull() && !value.isTextual() && !value.isNumber()) {
                throw error(at + key + " must be text or a number");
            }
            return nonBlank(value, key, at);
        }

        private Optional<String> nonBlank(JsonNode value, String key, String at) {
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            String text = value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
            if (text.isBlank()) {
                throw error(at + key + " is empty");
            }
            return Optional.of(text.strip());
        }
    }
}
