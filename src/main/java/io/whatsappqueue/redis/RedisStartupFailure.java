package io.whatsappqueue.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.whatsappqueue.config.ConfigException;

/**
 * Turns a failure to reach Redis at start-up into one line that names the real cause and what to set
 * (issue 10: a wrong password used to read "Unable to connect to Redis server", sending operators after a
 * network fault). Redisson wraps the server's answer several levels deep; every message in the cause chain
 * is searched for the answers below. The line never holds a password: addresses come from
 * {@link RedisTarget#where()} and the password, if it shows up in a message, is masked.
 */
final class RedisStartupFailure {
    private RedisStartupFailure() {
    }

    static ConfigException explain(RedisTarget target, Throwable failure) {
        String all = chain(failure);
        String lower = all.toLowerCase(Locale.ROOT);
        String v = target.variable();
        String where = target.where();
        String line;
        String refusal = null;
        if (lower.contains("wrongpass") || lower.contains("invalid username-password pair") || lower.contains("invalid password")) {
            line = v + ": Redis at " + where + " refused the credentials (WRONGPASS: wrong user name or password)"
                    + credentialsHint(target);
        } else if (lower.contains("noauth")) {
            line = v + ": Redis at " + where + " requires a password (NOAUTH)" + credentialsHint(target);
        } else if (lower.contains("db index is out of range")) {
            line = v + ": Redis at " + where + " has no database " + target.database()
                    + " (ERR DB index is out of range): use an index below the server's 'databases' setting (default 16)";
        } else if (lower.contains("cluster support disabled")) {
            line = v + ": " + where + " is not a Redis Cluster node (ERR This instance has cluster support disabled):"
                    + " for a single Redis set REDIS_URL instead, for Sentinel REDIS_SENTINEL";
        } else if (lower.contains("moved ")) {
            line = clusterNodeAsUrl(target);
        } else if (target.mode() == RedisTarget.Mode.STANDALONE && lower.contains("unknown command")) {
            line = sentinelAsUrl(target);
        } else if (target.mode() == RedisTarget.Mode.SENTINEL && (lower.contains("master name") || lower.contains("no master")
                || lower.contains("get-master-addr-by-name"))) {
            line = "REDIS_SENTINEL_MASTER: no sentinel at " + where + " knows a master named '" + target.masterName()
                    + "' (SENTINEL MASTERS lists the names they watch)";
        } else if (lower.contains("noperm")) {
            line = v + ": the Redis user " + (target.username() == null ? "default" : target.username())
                    + " lacks a permission the app needs (NOPERM): grant it ~* &* +@all, or at least the stream, hash, "
                    + "string, scripting and pubsub commands";
        } else if (lower.contains("sslhandshake") || lower.contains("pkix") || lower.contains("certificate")
                || lower.contains("not an ssl/tls record")) {
            line = v + ": TLS with " + where + " failed (" + firstLine(deepest(failure)) + "): check that the server speaks"
                    + " TLS on that port and that REDIS_TLS_CA_FILE holds the CA that signed its certificate";
        } else if (lower.contains("connection refused") || (refusal = noneAccepts(target)) != null) {
            line = v + ": nothing answers at " + where + " (" + (refusal == null ? "connection refused" : refusal)
                    + "): is Redis running and is the port right?";
        } else {
            line = v + ": cannot use Redis at " + where + ": " + firstLine(deepest(failure));
        }
        return new ConfigException(mask(line, target), failure);
    }

    /**
     * Why no address takes a TCP connection within a second ("connection refused", "connect timed out"), or null
     * when one does (Redisson's Sentinel start-up hides a refusal behind "SENTINEL SENTINELS command returns
     * empty result").
     */
    private static String noneAccepts(RedisTarget target) {
        String why = null;
        for (String hostPort : target.where().split(",")) {
            int colon = hostPort.lastIndexOf(':');
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 1000);
                return null;
            } catch (java.io.IOException | RuntimeException e) {
                why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            }
        }
        return why;
    }

    /** A standalone URL must name a plain Redis, not a Cluster node or a sentinel (INFO's redis_mode). */
    static void requireStandalone(RedisTarget target, String redisMode) {
        switch (redisMode) {
            case "cluster" -> throw new ConfigException(clusterNodeAsUrl(target));
            case "sentinel" -> throw new ConfigException(sentinelAsUrl(target));
            default -> { }
        }
    }

    private static String clusterNodeAsUrl(RedisTarget target) {
        return target.variable() + ": " + target.where() + " is a Redis Cluster node: set REDIS_CLUSTER=host:port,... "
                + "(its nodes) instead of REDIS_URL";
    }

    private static String sentinelAsUrl(RedisTarget target) {
        return target.variable() + ": " + target.where() + " is a Redis Sentinel, not a data node: set "
                + "REDIS_SENTINEL=host:port,... (the sentinels) and REDIS_SENTINEL_MASTER instead of REDIS_URL";
    }

    private static String credentialsHint(RedisTarget target) {
        String source = target.mode() == RedisTarget.Mode.STANDALONE
                ? "the user and password in REDIS_URL (user:password@ before the host) or REDIS_USERNAME / REDIS_PASSWORD"
                : "REDIS_USERNAME / REDIS_PASSWORD";
        return ": check " + source + (target.username() == null ? " (no user given: the default user)" : " (user "
                + target.username() + ")");
    }

    /** Every message of the cause chain and of suppressed exceptions, one per line. */
    private static String chain(Throwable t) {
        StringBuilder out = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(t));
        while (!todo.isEmpty()) {
            Throwable e = todo.remove(0);
            if (e == null || !seen.add(e)) {
                continue;
            }
            out.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage()).append('\n');
            todo.add(e.getCause());
            todo.addAll(List.of(e.getSuppressed()));
        }
        return out.toString();
    }

    private static String deepest(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The message's first line, without the connection and command details Redisson appends. */
    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).trim();
        int details = line.indexOf(". channel: ");
        return details < 0 ? line : line.substring(0, details);
    }

    private static String mask(String line, RedisTarget target) {
        String out = RedisConnector.redact(line);
        return target.password() == null || target.password().isEmpty() ? out : out.replace(target.password(), "***");
    }
}
