package io.whatsappqueue.fault;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's output: one table row per scenario (accepted, sent, duplicates, lost, dead-lettered, longest per-chat
 * stall and recovery in seconds, verdict), then for each failed scenario its reasons and the app's last warnings
 * from its log. Also written as a Markdown table to {@code results.md} in the work dir.
 */
final class Report {
    /** One scenario's result; {@code recoveryMs} -1 = never recovered, -2 = not measured. */
    record Row(String scenario, int accepted, int sent, int duplicates, int lost, int deadLettered, long stallMs,
               long recoveryMs, List<String> failures, List<String> notes, List<Path> logs) {
        boolean passed() {
            return failures.isEmpty();
        }
    }

    private static final String FORMAT = "%-26s %8s %6s %5s %5s %5s %7s %9s  %s%n";
    private final List<Row> rows = new ArrayList<>();
    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void header() {
        out.printf(FORMAT, "scenario", "accepted", "sent", "dups", "lost", "dlq", "stall s", "recover s", "verdict");
    }

    void add(Row r) {
        rows.add(r);
        out.printf(FORMAT, r.scenario(), r.accepted(), r.sent(), r.duplicates(), r.lost(), r.deadLettered(),
                seconds(r.stallMs()), recovery(r.recoveryMs()), r.passed() ? "PASS" : "FAIL");
        out.flush();
    }

    int size() {
        return rows.size();
    }

    /** A sum row (soak): counts added up, the longest stall and slowest recovery, passed / run. */
    void totals() {
        long stall = rows.stream().mapToLong(Row::stallMs).max().orElse(-1);
        long recovery = rows.stream().anyMatch(r -> r.recoveryMs() == -1) ? -1
                : rows.stream().mapToLong(Row::recoveryMs).max().orElse(-2);
        out.printf(FORMAT, "total (" + rows.size() + " runs)", rows.stream().mapToInt(Row::accepted).sum(),
                rows.stream().mapToInt(Row::sent).sum(), rows.stream().mapToInt(Row::duplicates).sum(),
                rows.stream().mapToInt(Row::lost).sum(), rows.stream().mapToInt(Row::deadLettered).sum(),
                seconds(stall), recovery(recovery), rows.stream().filter(Row::passed).count() + "/" + rows.size() + " PASS");
    }

    boolean anyFailed() {
        return rows.stream().anyMatch(r -> !r.passed());
    }

    /** Reasons, notes and log evidence of every scenario (failed ones first get their logs). */
    void details() {
        for (Row r : rows) {
            out.println();
            out.println("== " + r.scenario() + ": " + (r.passed() ? "PASS" : "FAIL"));
            r.failures().forEach(f -> out.println("  FAIL " + f));
            r.notes().forEach(n -> out.println("  note " + n));
            if (!r.passed()) {
                for (Path log : r.logs()) {
                    out.println("  -- last warnings and reclaims in " + log);
                    out.println(indent(warnings(log, 12)));
                    out.println("  -- tail of " + log);
                    out.println(indent(Procs.tail(log, 8)));
                }
            }
        }
    }

    void writeMarkdown(Path file, String title) {
        StringBuilder md = new StringBuilder("# " + title + "\n\n")
                .append("| scenario | accepted | sent | duplicates | lost | dead-lettered | longest stall s | recovery s | verdict |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.scenario()).append(" | ").append(r.accepted()).append(" | ").append(r.sent())
                    .append(" | ").append(r.duplicates()).append(" | ").append(r.lost()).append(" | ")
                    .append(r.deadLettered()).append(" | ").append(seconds(r.stallMs())).append(" | ")
                    .append(recovery(r.recoveryMs())).append(" | ").append(r.passed() ? "PASS" : "FAIL").append(" |\n");
        }
        for (Row r : rows) {
            if (!r.passed()) {
                md.append("\n").append(r.scenario()).append(":\n");
                r.failures().forEach(f -> md.append("- ").append(f).append("\n"));
            }
        }
        try {
            Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seconds(long ms) {
        return ms < 0 ? "-" : String.format("%.1f", ms / 1000.0);
    }

    private static String recovery(long ms) {
        return ms == -1 ? "never" : ms == -2 ? "-" : seconds(ms);
    }

    /** The last {@code n} WARN/ERROR/reclaim lines of a log (the app's own account of what went wrong). */
    private static String warnings(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("reclaimed")
                            || l.contains("# WARNING") && !l.contains("overcommit"))
                    .toList();
            List<String> last = lines.subList(Math.max(0, lines.size() - n), lines.size());
            return last.isEmpty() ? "(none)" : String.join("\n", last.stream().map(Report::shorten).toList());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String shorten(String line) {
        return line.length() > 300 ? line.substring(0, 300) + " ..." : line;
    }

    private static String indent(String s) {
        return "    " + s.replace("\n", "\n    ");
    }
}
