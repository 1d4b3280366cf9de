package io.whatsappqueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The build's training run for the class-data sharing archive (pom.xml, docker/Dockerfile): starts the whole
 * service ({@code WA_ROLE=all}, embedded Redis in a temporary directory, sandbox mode, two free loopback ports)
 * and stops it after {@code WA_CDS_TRAINING_S} seconds (default 2), so the JVM, run with
 * {@code -XX:ArchiveClassesAtExit=<file>}, writes every class start-up loaded into the archive when it exits.
 * Later starts map the archive ({@code -XX:SharedArchiveFile}) instead of loading and verifying those classes.
 * The role, ports, bind host, data directory, Redis (embedded) and Evolution (sandbox) are set here, whatever the
 * environment says; other settings keep their defaults or the environment's values. The data directory is deleted
 * at exit. Exits non-zero when the service cannot start, which fails the build.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("WA_ROLE", "all");
        System.setProperty("WA_BIND_HOST", "127.0.0.1");
        System.setProperty("PORT", String.valueOf(freePort()));
        System.setProperty("MANAGEMENT_PORT", String.valueOf(freePort()));
        Path data = Files.createTempDirectory("wa-cds-training");
        System.setProperty("WA_DATA_DIR", data.toString());
        // the embedded Redis's files; it has stopped by the time the JVM exits (Redis stops after the routes)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(data)));
        System.setProperty("REDIS_URL", "");
        System.setProperty("EVOLUTION_SERVER_URL", "");
        System.setProperty("camel.main.durationMaxSeconds", System.getenv().getOrDefault("WA_CDS_TRAINING_S", "2"));
        Main.main(args);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind: harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
