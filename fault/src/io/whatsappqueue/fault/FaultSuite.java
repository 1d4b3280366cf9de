package io.whatsappqueue.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Entry point (started by fault/run): runs the fault scenarios against the real jar and prints one table row each.
 * Arguments: {@code --jar <path>} (required), {@code --work <dir>} (logs and Redis files; required),
 * {@code --only a,b} (scenario names; also the extras, run only when named: {@link Scenarios#extras()}), {@code --soak <seconds>} (repeat the mix, scenario after scenario, until
 * that much time has passed: bench/soak; the scenario running at the deadline finishes). Exit status: 0 all invariants held, 1 some scenario failed, 2 the suite itself broke.
 */
public final class FaultSuite {
    private FaultSuite() {
    }

    public static void main(String[] args) throws Exception {
        String jar = null;
        Path work = null;
        List<String> only = new ArrayList<>();
        long soakS = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = args[++i];
                case "--work" -> work = Path.of(args[++i]);
                case "--only" -> only.addAll(Arrays.asList(args[++i].split(",")));
                case "--soak" -> soakS = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (jar == null || work == null || !Files.isRegularFile(Path.of(jar))) {
            System.err.println("usage: FaultSuite --jar target/whatsapp-queue.jar --work <dir> [--only a,b] [--soak seconds]");
            System.exit(2);
        }
        Map<String, Scenarios.Scenario> scenarios = Scenarios.all();
        if (!only.isEmpty()) {
            scenarios.putAll(Scenarios.extras());
            scenarios.keySet().retainAll(only);
        }
        long start = System.currentTimeMillis();
        long soakEnd = start + soakS * 1000;
        Report report = new Report(System.out);
        report.header();
        int round = 0;
        rounds:
        do {
            round++;
            for (Map.Entry<String, Scenarios.Scenario> e : scenarios.entrySet()) {
                if (soakS > 0 && System.currentTimeMillis() >= soakEnd) {
                    break rounds;
                }
                String name = soakS > 0 ? e.getKey() + " #" + round : e.getKey();
                report.add(runOne(name, e.getValue(), work, jar));
            }
        } while (soakS > 0);
        long took = (System.currentTimeMillis() - start) / 1000;
        if (soakS > 0) {
            report.totals();
        }
        report.details();
        String title = "Fault suite " + (soakS > 0 ? "soak of " + soakS + " s, " + report.size() + " scenario runs, " : "") + "run of "
                + java.time.Instant.ofEpochMilli(start) + " (" + took + " s)";
        report.writeMarkdown(work.resolve("results.md"), title);
        System.out.println();
        System.out.println(title + (report.anyFailed() ? ": some invariant was violated" : ": all invariants held"));
        System.out.println("logs and results.md in " + work);
        System.exit(report.anyFailed() ? 1 : 0);
    }

    /** One scenario in its own stage; an error of the suite itself (a process that cannot start) fails the row. */
    private static Report.Row runOne(String name, Scenarios.Scenario scenario, Path work, String jar) {
        Stage stage = new Stage(name, work, jar);
        Thread cleanup = new Thread(stage::close, "stop-" + name);   // the suite itself stopped (SIGTERM, ^C)
        Runtime.getRuntime().addShutdownHook(cleanup);
        long start = System.currentTimeMillis();
        try (stage) {
            Report.Row row = scenario.run(stage);
            row.notes().add("scenario took " + (System.currentTimeMillis() - start) / 1000 + " s");
            return row;
        } catch (Exception | Error e) {
            List<String> failures = new ArrayList<>(stage.failures);
            failures.add("suite error: " + e);
            return new Report.Row(name, 0, 0, 0, 0, 0, -1, -2, failures, stage.notes, stage.logs());
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }
}
