package io.whatsappqueue.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Environment values as the UTF-8 they were set in, whatever the JVM's locale. Under a C/POSIX locale (a bare
 * container, a systemd unit) Java decodes the environment as ASCII and each non-ASCII byte becomes U+FFFD, so
 * {@code WA_OPTOUT_KEYWORDS=СТОП} would silently never match. Such values are read again, as UTF-8, from the
 * process's own environment block ({@code /proc/self/environ}, Linux) for the settings ({@link #settingsSource}).
 * Where the block cannot be read, start-up stops naming the variable and the fix; so does a value that is not
 * UTF-8 at all.
 */
public final class EnvironmentText {
    private static final char UNDECODABLE = '\uFFFD';
    private static final Path ENVIRON = Path.of("/proc/self/environ");

    private EnvironmentText() {
    }

    /**
     * Where the settings are read from: Camel's properties (application.properties maps each from the variable
     * of the same name), except that a value which came from an environment variable the JVM garbled is the
     * UTF-8 one. Camel itself reads the environment through the JVM (its {@code env:} function and its
     * environment override), so the restored values cannot go back into it. Only variables named in
     * application.properties are looked at: a stray non-ASCII variable of the host must not stop start-up.
     */
    public static Function<String, String> settingsSource(PropertiesComponent pc) {
        Map<String, String> env = new TreeMap<>(System.getenv());
        env.keySet().retainAll(settingNames());
        Map<String, String> restored = repaired(env, EnvironmentText::environBlock);
        return name -> {
            String value = pc.resolveProperty(name).orElse(null);
            String utf8 = restored.get(name);
            return utf8 != null && value != null && value.equals(System.getenv(name)) ? utf8 : value;
        };
    }

    /**
     * @param env     the environment as the JVM decoded it
     * @param environ the raw environment block ({@code NAME=value\0...}), or null when it cannot be read
     * @return the damaged variables with their UTF-8 values
     * @throws ConfigException naming every variable that cannot be restored
     */
    static Map<String, String> repaired(Map<String, String> env, Supplier<byte[]> environ) {
        TreeSet<String> damaged = new TreeSet<>();
        env.forEach((name, value) -> {
            if (value.indexOf(UNDECODABLE) >= 0) {
                damaged.add(name);
            }
        });
        if (damaged.isEmpty()) {
            return Map.of();
        }
        byte[] block = environ.get();
        if (block == null) {
            throw new ConfigException(String.join(", ", damaged) + ": the JVM could not decode these environment"
                    + " values (its locale is not UTF-8); start it with LANG=C.UTF-8");
        }
        Map<String, String> out = new TreeMap<>();
        int start = 0;
        for (int i = 0; i <= block.length; i++) {
            if (i == block.length || block[i] == 0) {
                entry(block, start, i).filter(e -> damaged.contains(e.getKey()))
                        .ifPresent(e -> out.put(e.getKey(), utf8(e.getKey(), e.getValue())));
                start = i + 1;
            }
        }
        damaged.removeAll(out.keySet());
        if (!damaged.isEmpty()) {
            throw new ConfigException(String.join(", ", damaged) + ": environment value not readable as UTF-8;"
                    + " start the JVM with LANG=C.UTF-8");
        }
        return out;
    }

    private static Optional<Map.Entry<String, byte[]>> entry(byte[] block, int from, int to) {
        for (int i = from; i < to; i++) {
            if (block[i] == '=') {
                String name = new String(block, from, i - from, StandardCharsets.ISO_8859_1);
                byte[] value = java.util.Arrays.copyOfRange(block, i + 1, to);
                return Optional.of(Map.entry(name, value));
            }
        }
        return Optional.empty();
    }

    private static String utf8(String name, byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(name + " is not valid UTF-8 text", e);
        }
    }

    private static Set<String> settingNames() {
        Properties p = new Properties();
        try (InputStream in = EnvironmentText.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read application.properties: " + e.getMessage(), e);
        }
        return p.stringPropertyNames();
    }

    /** This process's environment block as the kernel holds it, or null where there is none to read. */
    static byte[] environBlock() {
        try {
            return Files.isReadable(ENVIRON) ? Files.readAllBytes(ENVIRON) : null;
        } catch (IOException e) {
            return null;    // the caller stops start-up naming the variables and LANG=C.UTF-8
        }
    }
}
