package io.whatsappqueue.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.whatsappqueue.evolution.InstanceNames;

/**
 * Every setting of DESIGN §3, read once and validated at start. Values come from Camel properties named
 * exactly like the environment variables (application.properties maps each from the environment and holds
 * the defaults), so a test overrides {@code WA_TOKENS_PER_SECOND} the same way an operator sets it.
 */
public final class Settings {

    public enum Role { WEB, WORKER, ALL;
        public boolean runsWeb() { return this != WORKER; }
        public boolean runsWorker() { return this != WEB; }
    }

    /** Instance names go into Redis keys and URLs: only this shape is ever accepted (DESIGN §4). */
    public static final Pattern INSTANCE_NAME = InstanceNames.PATTERN;

    public final int port;
    public final int managementPort;
    public final String bindHost;
    /** Standalone Redis URL ({@code redis[s]://[user[:password]@]host:port[/db]}); null in the other modes. */
    public final String redisUrl;
    /** Sentinel mode: the sentinels as {@code host:port} (empty otherwise). */
    public final List<String> redisSentinels;
    /** The master name the sentinels watch (Sentinel mode). */
    public final String redisSentinelMaster;
    /** Cluster mode: seed nodes as {@code host:port} (empty otherwise). */
    public final List<String> redisClusterNodes;
    /** ACL user and password when not in REDIS_URL (all modes); null when unset. */
    public final String redisUsername;
    public final String redisPassword;
    /** PEM file of the CA that signed the server's certificate, for {@code rediss://} (null: the JVM's trust store). */
    public final String redisTlsCaFile;
    /** Per-instance keys carry the hash tag {@code {<inst>}} (DESIGN §6); always true in Cluster mode. */
    public final boolean keyHashTags;
    /** Replicas that must acknowledge a write before it counts (WAIT; DESIGN §3); 0: no WAIT. */
    public final int redisWaitReplicas;
    /** Longest WAIT for those replicas, ms; past it the write is not acknowledged (webhook 503, entry not finished). */
    public final long redisWaitTimeoutMs;
    public final Path dataDir;
    public final String evolutionUrl;       // null: sandbox mode
    public final String evolutionApiKey;
    public final List<String> instances;
    /** How often every process re-reads wa:instances, so a missed change announcement costs at most this. */
    public final long instancesRefreshMs;
    public final Role role;
    public final String webhookToken;
    public final String adminToken;
    public final long claimIdleMs;
    public final int readCount;
    public final long blockMs;
    public final long streamMaxLen;
    public final double tokensPerSecond;
    public final int bucketCapacity;
    public final int maxDeliveries;
    public final double baseBackoffSeconds;
    public final double maxBackoffSeconds;
    public final long sendDelayMs;
    public final long evolutionTimeoutMs;
    public final int sendConcurrency;
    public final int outageThreshold;
    public final long maxMessageAgeSeconds;
    public final long webhookMaxBodyBytes;
    // --- inbound: webhook, reply generation (docs/configuration-inbound.md) ---
    public final long humanTakeoverPauseSeconds;
    public final long echoExpectTtlSeconds;
    public final int historyTurns;
    public final long historyTtlSeconds;
    public final int maxReplyChars;
    public final String aiFallbackText;     // null: the knowledge file's fallback text
    public final String aiBaseUrl;          // null: the built-in knowledge responder
    public final String aiApiKey;
    public final String aiModel;
    public final long aiTimeoutMs;
    public final int aiCircuitMinCalls;
    public final int aiCircuitFailureRate;
    public final long aiCircuitOpenSeconds;
    public final String knowledgeFile;      // null: the bundled example
    public final long typingDelayMs;        // 0: no typing indicator
    public final int replyConcurrency;
    // --- burst debounce (DESIGN §10, docs/configuration-inbound.md) ---
    public final long debounceMs;           // 0: off, every message answered on its own
    public final long debounceMaxMs;
    public final long shutdownTimeoutSeconds;

    private Settings(Function<String, String> source) {
        Reader r = new Reader(source);
        port = r.port("PORT");
        managementPort = r.port("MANAGEMENT_PORT");
        bindHost = r.required("WA_BIND_HOST");
        redisUrl = r.optionalUrl("REDIS_URL", Set.of("redis", "rediss"));
        redisSentinels = r.hostPorts("REDIS_SENTINEL");
        redisSentinelMaster = r.required("REDIS_SENTINEL_MASTER");
        redisClusterNodes = r.hostPorts("REDIS_CLUSTER");
        redisUsername = r.optional("REDIS_USERNAME");
        redisPassword = r.optional("REDIS_PASSWORD");
        redisTlsCaFile = r.optional("REDIS_TLS_CA_FILE");
        int modes = (redisUrl != null ? 1 : 0) + (redisSentinels.isEmpty() ? 0 : 1) + (redisClusterNodes.isEmpty() ? 0 : 1);
        if (modes > 1) {
            r.problems.add("set only one of REDIS_URL, REDIS_SENTINEL and REDIS_CLUSTER (standalone, Sentinel or Cluster)");
        }
        keyHashTags = !redisClusterNodes.isEmpty() || r.bool("WA_KEY_HASHTAGS");
        redisWaitReplicas = (int) r.longBetween("WA_REDIS_WAIT_REPLICAS", 0, 16);
        redisWaitTimeoutMs = r.longBetween("WA_REDIS_WAIT_TIMEOUT_MS", 10, 60_000);
        dataDir = Path.of(r.required("WA_DATA_DIR")).toAbsolutePath();
        evolutionUrl = stripTrailingSlash(r.optionalUrl("EVOLUTION_SERVER_URL", Set.of("http", "https")));
        evolutionApiKey = r.optional("EVOLUTION_API_KEY");
        instances = r.instances("WA_INSTANCES");
        instancesRefreshMs = r.longBetween("WA_INSTANCES_REFRESH_MS", 100, 5000);
        role = r.role("WA_ROLE");
        webhookToken = r.optional("WEBHOOK_TOKEN");
        adminToken = r.optional("ADMIN_TOKEN");
        claimIdleMs = r.longAtLeast("WA_STREAM_CLAIM_IDLE_MS", 1000);
        readCount = (int) r.longBetween("WA_STREAM_READ_COUNT", 1, 1000);
        blockMs = r.longBetween("WA_STREAM_BLOCK_MS", 1, 60_000);
        streamMaxLen = r.longAtLeast("WA_STREAM_MAXLEN", 1);
        tokensPerSecond = r.doubleAtLeast("WA_TOKENS_PER_SECOND", 0);
        bucketCapacity = (int) r.longBetween("WA_BUCKET_CAPACITY", 1, 1_000_000);
        maxDeliveries = (int) r.longBetween("WA_MAX_DELIVERIES", 1, 1000);
        baseBackoffSeconds = r.doubleAtLeast("WA_BASE_BACKOFF", 0.001);
        maxBackoffSeconds = r.doubleAtLeast("WA_MAX_BACKOFF", baseBackoffSeconds);
        sendDelayMs = r.longBetween("WA_SEND_DELAY_MS", 0, 120_000);
        evolutionTimeoutMs = Math.round(r.doubleAtLeast("WA_EVOLUTION_HTTP_TIMEOUT", 0.1) * 1000);
        sendConcurrency = (int) r.longBetween("WA_SEND_CONCURRENCY", 1, 512);
        outageThreshold = (int) r.longBetween("WA_OUTAGE_THRESHOLD", 1, 1000);
        maxMessageAgeSeconds = r.longAtLeast("WA_MAX_MESSAGE_AGE_S", 0);
        webhookMaxBodyBytes = r.longAtLeast("WA_WEBHOOK_MAX_BODY_BYTES", 1024);
        humanTakeoverPauseSeconds = r.longBetween("WA_HUMAN_TAKEOVER_PAUSE_S", 0, 30L * 24 * 3600);
        echoExpectTtlSeconds = r.longBetween("WA_ECHO_EXPECT_TTL_S", 1, 3600);
        historyTurns = (int) r.longBetween("WA_HISTORY_TURNS", 0, 100);
        historyTtlSeconds = r.longBetween("WA_HISTORY_TTL_S", 60, 90L * 24 * 3600);
        maxReplyChars = (int) r.longBetween("WA_MAX_REPLY_CHARS", 100, 65_000);
        aiFallbackText = r.optional("WA_AI_FALLBACK_TEXT");
        aiBaseUrl = stripTrailingSlash(r.optionalUrl("AI_BASE_URL", Set.of("http", "https")));
        aiApiKey = r.optional("AI_API_KEY");
        aiModel = r.required("AI_MODEL");
        aiTimeoutMs = r.longBetween("AI_TIMEOUT_MS", 100, 600_000);
        aiCircuitMinCalls = (int) r.longBetween("AI_CIRCUIT_MIN_CALLS", 1, 1000);
        aiCircuitFailureRate = (int) r.longBetween("AI_CIRCUIT_FAILURE_RATE", 1, 100);
        aiCircuitOpenSeconds = r.longBetween("AI_CIRCUIT_OPEN_S", 1, 3600);
        knowledgeFile = r.optional("WA_KNOWLEDGE_FILE");
        typingDelayMs = r.longBetween("WA_TYPING_DELAY_MS", 0, 20_000);
        replyConcurrency = (int) r.longBetween("WA_REPLY_CONCURRENCY", 1, 256);
        debounceMs = r.longBetween("WA_DEBOUNCE_MS", 0, 600_000);
        debounceMaxMs = r.longBetween("WA_DEBOUNCE_MAX_MS", 1, 3_600_000);
        if (debounceMs > 0 && debounceMaxMs < debounceMs) {
            r.problems.add("WA_DEBOUNCE_MAX_MS (" + debounceMaxMs + ") must be at least WA_DEBOUNCE_MS (" + debounceMs + ")");
        }
        shutdownTimeoutSeconds = r.longBetween("WA_SHUTDOWN_TIMEOUT_S", 1, 600);
        if (r.problems.size() > 0) {
            throw new ConfigException(String.join("; ", r.problems));
        }
    }

    /** Reads and validates; throws {@link ConfigException} naming the first bad variables. */
    public static Settings load(Function<String, String> source) {
        return new Settings(source);
    }

    /** No REDIS_URL, REDIS_SENTINEL or REDIS_CLUSTER: the app starts its own Redis (DESIGN §3). */
    public boolean embeddedRedis() {
        return redisUrl == null && redisSentinels.isEmpty() && redisClusterNodes.isEmpty();
    }

    /** Cluster mode: multi-key commands must stay within one hash slot. */
    public boolean redisCluster() {
        return !redisClusterNodes.isEmpty();
    }

    public boolean sandbox() {
        return evolutionUrl == null;
    }

    /** Where the send route posts: Evolution, or our own sandbox endpoint over real HTTP. */
    public String evolutionBaseUrl() {
        return sandbox() ? "http://127.0.0.1:" + port + "/sandbox/evolution" : evolutionUrl;
    }

    public long maxBackoffMs() {
        return Math.round(maxBackoffSeconds * 1000);
    }

    /**
     * Fails when a port this process must listen on is taken: Vert.x only logs a bind failure and Camel would
     * run on without a listener (CAMEL_NOTES §2).
     */
    public void checkPortsFree() {
        checkPortFree("PORT", port);
        if (managementPort != port) {
            checkPortFree("MANAGEMENT_PORT", managementPort);
        }
    }

    private void checkPortFree(String name, int p) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(bindHost, p));
        } catch (IOException e) {
            throw new ConfigException(name + "=" + p + ": port already in use on " + bindHost
                    + " (" + e.getMessage() + "); stop the other process or choose another port");
        }
    }

    private static String stripTrailingSlash(String url) {
        if (url == null) {
            return null;
        }
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** Collects every problem so one start-up shows all of them. */
    private static final class Reader {
        private final Function<String, String> source;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, String> source) {
            this.source = source;
        }

        String optional(String name) {
            String v = source.apply(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        String required(String name) {
            String v = optional(name);
            if (v == null) {
                problems.add(name + " must not be empty");
                return "";
            }
            return v;
        }

        int port(String name) {
            return (int) longBetween(name, 1, 65535);
        }

        long longBetween(String name, long min, long max) {
            String v = required(name);
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    problems.add(name + " must be between " + min + " and " + max + ", got '" + v + "'");
                }
                return n;
            } catch (NumberFormatException e) {
                if (!v.isEmpty()) {
                    problems.add(name + " must be a whole number, got '" + v + "'");
                }
                return min;
            }
        }

        long longAtLeast(String name, long min) {
            return longBetween(name, min, Long.MAX_VALUE);
        }

        double doubleAtLeast(String name, double min) {
            String v = required(name);
            try {
                double d = Double.parseDouble(v);
                if (Double.isNaN(d) || Double.isInfinite(d) || d < min) {
                    problems.add(name + " must be a number >= " + min + ", got '" + v + "'");
                }
                return d;
            } catch (NumberFormatException e) {
                if (!v.isEmpty()) {
                    problems.add(name + " must be a number, got '" + v + "'");
                }
                return min;
            }
        }

        String optionalUrl(String name, Set<String> schemes) {
            String v = optional(name);
            if (v == null) {
                return null;
            }
            try {
                URI u = new URI(v);
                if (u.getScheme() == null || !schemes.contains(u.getScheme().toLowerCase(Locale.ROOT))
                        || u.getHost() == null) {
                    problems.add(name + " must be a URL with scheme " + String.join(" or ", schemes)
                            + " and a host, got '" + redact(v) + "'");
                }
            } catch (URISyntaxException e) {
                problems.add(name + " is not a valid URL: " + e.getReason());
            }
            return v;
        }

        List<String> instances(String name) {
            String v = required(name);
            Set<String> out = new LinkedHashSet<>();
            for (String part : v.split(",")) {
                String s = part.trim();
                if (s.isEmpty()) {
                    continue;
                }
                if (!INSTANCE_NAME.matcher(s).matches()) {
                    problems.add(name + " entry '" + s.replaceAll("[^\\x20-\\x7e]", "?")
                            + "' must match " + INSTANCE_NAME.pattern());
                }
                out.add(s);
            }
            if (out.isEmpty() && !v.isEmpty()) {
                problems.add(name + " must name at least one instance");
            }
            return Collections.unmodifiableList(new ArrayList<>(out));
        }

        boolean bool(String name) {
            String v = required(name).toLowerCase(Locale.ROOT);
            switch (v) {
                case "true", "1", "yes", "on": return true;
                case "false", "0", "no", "off", "": return false;
                default:
                    problems.add(name + " must be true or false, got '" + v + "'");
                    return false;
            }
        }

        /**
     * Comma-separated {@code host:port} list; a {@code redis://} prefix is allowed and dropped, a {@code rediss://}
     * prefix (TLS) kept; empty when unset.
     */
        List<String> hostPorts(String name) {
            String v = optional(name);
            List<String> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            for (String part : v.split(",")) {
                String s = part.trim().replaceFirst("^(?i)rediss?://", "");
                if (s.isEmpty()) {
                    continue;
                }
                int colon = s.lastIndexOf(':');
                boolean ok = colon > 0 && colon < s.length() - 1 && s.substring(colon + 1).matches("\\d{1,5}")
                        && Integer.parseInt(s.substring(colon + 1)) <= 65535 && !s.contains("@") && !s.contains("/");
                if (!ok) {
                    problems.add(name + " entry '" + redact(part.trim()) + "' must be host:port");
                }
                // rediss:// asks for TLS (a managed Redis with a public CA needs no REDIS_TLS_CA_FILE): kept for the connector
                out.add(part.trim().toLowerCase(Locale.ROOT).startsWith("rediss://") ? "rediss://" + s : s);
            }
            return Collections.unmodifiableList(out);
        }

        Role role(String name) {
            String v = required(name);
            try {
                return Role.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                if (!v.isEmpty()) {
                    problems.add(name + " must be one of " + Arrays.toString(Role.values()).toLowerCase(Locale.ROOT)
                            + ", got '" + v + "'");
                }
                return Role.ALL;
            }
        }

        /** A URL may carry a password; never echo it back. */
        private static String redact(String url) {
            return url.replaceAll("//[^@/]*@", "//***@");
        }
    }
}
