package io.whatsappqueue.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starting and signalling child processes: output appended to a log file, every pid appended to the suite's pid
 * file (fault/run kills what is left of those if the suite itself dies), signals sent by pid with kill(1), CPU
 * time read from /proc, free loopback ports.
 */
final class Procs {
    private final Path workDir;
    private final Path pidFile;
    private final List<Process> started = new ArrayList<>();

    /** Processes that run in (and log to) {@code workDir}; their pids are appended to {@code pidFile}. */
    Procs(Path workDir, Path pidFile) {
        this.workDir = workDir;
        this.pidFile = pidFile;
    }

    Path workDir() {
        return workDir;
    }

    synchronized Process start(List<String> command, Map<String, String> env, Path log, Path dir) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            started.add(p);
            Files.writeString(pidFile, p.pid() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    static void signal(Process p, String sig) {
        if (!p.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("kill -" + sig + " " + p.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGKILL and wait until the process is gone. */
    static void kill(Process p) {
        p.destroyForcibly();
        await(p, 10_000);
    }

    static boolean await(Process p, long ms) {
        try {
            return p.waitFor(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** utime + stime of a live process in clock ticks (1/100 s); 0 once it is gone. */
    static long cpuTicks(Process p) {
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Kills everything this suite started that still runs (end of a scenario, or the suite). */
    synchronized void killAll() {
        for (Process p : started) {
            if (p.isAlive()) {
                Procs.signal(p, "CONT");
                p.destroyForcibly();
            }
        }
        for (Process p : started) {
            await(p, 10_000);
        }
        started.clear();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** The last {@code n} lines of a log file, for a failure report. */
    static String tail(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Polls {@code check} every 100 ms (an exception counts as false) until true; throws when time is up. */
    static void until(long timeoutMs, String what, java.util.function.BooleanSupplier check) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try {
                if (check.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // a node down or not answering yet: try again
            }
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("not within " + timeoutMs + " ms: " + what);
            }
            StandIn.sleep(100);
        }
    }
}
