package io.whatsappqueue.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * With JOLOKIA_USER and JOLOKIA_PASSWORD set, /observe/jolokia needs HTTP basic auth. Camel reads the
 * management server's settings before any configuration class runs, so this is applied by {@code Main}
 * as system properties. The Vert.x login file is written under WA_DATA_DIR, readable by this user only.
 */
public final class JolokiaLogin {
    private JolokiaLogin() {
    }

    public static void applyFrom(Map<String, String> env) {
        String user = blankToNull(env.get("JOLOKIA_USER"));
        String password = blankToNull(env.get("JOLOKIA_PASSWORD"));
        if (user == null && password == null) {
            return;
        }
        if (user == null || password == null || !user.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigException("JOLOKIA_USER and JOLOKIA_PASSWORD must be set together; the user name may hold"
                    + " letters, digits, '_', '.' and '-'");
        }
        // the Vert.x properties login file splits on ',' and has no escape
        if (password.contains(",") || password.contains("\n") || password.contains("\\")) {
            throw new ConfigException("JOLOKIA_PASSWORD must not contain ',', '\\' or a line break");
        }
        Path dir = Path.of(env.getOrDefault("WA_DATA_DIR", "./data")).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("jolokia-users.properties");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "user." + user + "=" + password + ",jolokia\n");
            System.setProperty("camel.management.authenticationEnabled", "true");
            System.setProperty("camel.management.authenticationPath", "/observe/jolokia/*");
            System.setProperty("camel.management.basicPropertiesFile", file.toString());
        } catch (IOException e) {
            throw new ConfigException("JOLOKIA_USER: cannot write the login file under WA_DATA_DIR " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
