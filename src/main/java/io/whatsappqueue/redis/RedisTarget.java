package io.whatsappqueue.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.whatsappqueue.config.ConfigException;
import io.whatsappqueue.config.Settings;

/**
 * Which Redis the app talks to (DESIGN §3): one node ({@code REDIS_URL}), a Sentinel-watched master
 * ({@code REDIS_SENTINEL}, {@code REDIS_SENTINEL_MASTER}) or a Cluster ({@code REDIS_CLUSTER}), with the
 * credentials, database index and TLS trust to use. Credentials in the URL are percent-decoded and win over
 * {@code REDIS_USERNAME} / {@code REDIS_PASSWORD}; the URL's path is the database index (standalone only), its
 * port 6379 when not given.
 * {@link #toString()} and {@link #where()} never show the password.
 *
 * @param mode      the topology
 * @param variable  the environment variable that chose it, to start error messages with
 * @param addresses {@code redis[s]://host:port} of the node, the sentinels or the seed nodes (no credentials)
 * @param database  database index (0 outside standalone)
 * @param tls       {@code rediss://} (standalone), or a CA file given (Sentinel, Cluster)
 */
public record RedisTarget(Mode mode, String variable, List<String> addresses, String masterName, String username,
                          String password, int database, boolean tls, String caFile) {

    public enum Mode { STANDALONE, SENTINEL, CLUSTER }

    /** Redis's port when a URL names none ({@code redis://redis}), as redis-cli and redis-py assume. */
    static final int DEFAULT_PORT = 6379;

    /** The target Settings name; an embedded Redis is a standalone {@code url}. */
    public static RedisTarget of(Settings s, String embeddedUrl) {
        if (!s.redisSentinels.isEmpty()) {
            boolean tls = tls(s.redisSentinels, s.redisTlsCaFile);
            return new RedisTarget(Mode.SENTINEL, "REDIS_SENTINEL", withScheme(s.redisSentinels, tls),
                    s.redisSentinelMaster, s.redisUsername, s.redisPassword, 0, tls, s.redisTlsCaFile);
        }
        if (!s.redisClusterNodes.isEmpty()) {
            boolean tls = tls(s.redisClusterNodes, s.redisTlsCaFile);
            return new RedisTarget(Mode.CLUSTER, "REDIS_CLUSTER", withScheme(s.redisClusterNodes, tls),
                    null, s.redisUsername, s.redisPassword, 0, tls, s.redisTlsCaFile);
        }
        String url = s.redisUrl != null ? s.redisUrl : embeddedUrl;
        return standalone(url, s.redisUsername, s.redisPassword, s.redisTlsCaFile);
    }

    /**
     * A standalone {@code redis[s]://[user[:password]@]host:port[/db]}; {@code username} and {@code password}
     * apply when the URL has none. Throws ConfigException (naming REDIS_URL, never the password) on a URL that
     * is not of that shape.
     */
    public static RedisTarget standalone(String url, String username, String password, String caFile) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException("REDIS_URL: not a URL: " + RedisConnector.redact(url));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss") || uri.getHost() == null) {
            throw new ConfigException("REDIS_URL must look like redis[s]://[user[:password]@]host[:port][/db], got "
                    + RedisConnector.redact(url));
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String user = username;
        String pass = password;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String u = decode(colon < 0 ? info : info.substring(0, colon));
            // redis://user@host is a user without password, as redis-py (the previous system) reads it
            user = u.isEmpty() ? username : u;
            if (colon >= 0) {
                pass = decode(info.substring(colon + 1));
            }
        }
        return new RedisTarget(Mode.STANDALONE, "REDIS_URL", List.of(scheme + "://" + uri.getHost() + ":" + port),
                null, emptyToNull(user), emptyToNull(pass), database(uri.getRawPath(), url), scheme.equals("rediss"), caFile);
    }

    /** {@code host:port,...} of the addresses, for messages. */
    public String where() {
        return String.join(",", addresses.stream().map(a -> a.replaceFirst("^rediss?://", "")).toList());
    }

    @Override
    public String toString() {
        return switch (mode) {
            case STANDALONE -> addresses.get(0) + (database == 0 ? "" : "/" + database);
            case SENTINEL -> "sentinel " + where() + " master " + masterName;
            case CLUSTER -> "cluster " + where();
        } + (username != null ? " user " + username : "") + (password != null ? " (password set)" : "");
    }

    private static int database(String path, String url) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String db = path.substring(1);
        if (!db.matches("\\d{1,5}")) {
            throw new ConfigException("REDIS_URL: the path must be a database index (redis://host:port/3), got /"
                    + db + " in " + RedisConnector.redact(url));
        }
        return Integer.parseInt(db);
    }

    /** TLS for Sentinel and Cluster: a node given as {@code rediss://host:port}, or a CA file. */
    private static boolean tls(List<String> hostPorts, String caFile) {
        return caFile != null || hostPorts.stream().anyMatch(h -> h.startsWith("rediss://"));
    }

    private static List<String> withScheme(List<String> hostPorts, boolean tls) {
        return hostPorts.stream().map(h -> (tls ? "rediss://" : "redis://") + h.replaceFirst("^rediss://", "")).toList();
    }

    /** Percent-decoding of URL userinfo; a {@code +} stays a plus (it is not a form field). */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
