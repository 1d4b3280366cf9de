package io.whatsappqueue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Runs the Lua scripts in {@code src/main/resources/lua}. Stream scripts get the shared order library
 * prepended. Redisson's script cache sends EVALSHA and reloads on NOSCRIPT.
 */
public final class LuaScripts {
    private static final String ORDER_LIB = load("stream/order-lib.lua");

    private final RScript script;

    public LuaScripts(RedissonClient redis) {
        this.script = redis.getScript(StringCodec.INSTANCE);
    }

    /** A script that uses the order library. */
    public static String withOrderLib(String name) {
        return ORDER_LIB + "\n" + load(name);
    }

    /** A script that uses the order library and {@code middle} (Lua that defines functions the script calls). */
    public static String withOrderLib(String name, String middle) {
        return ORDER_LIB + "\n" + middle + "\n" + load(name);
    }

    /**
     * A script that adds to a stream the one way every entry is added: the order library, then lua/stream/add.lua
     * as the function {@code wq_stream_add(KEYS, ARGV)} (its keys and arguments as a table each, its answer returned).
     */
    public static String withStreamAdd(String name) {
        return ORDER_LIB + "\nlocal function wq_stream_add(KEYS, ARGV)\n" + load("stream/add.lua") + "\nend\n" + load(name);
    }

    public static String plain(String name) {
        return load(name);
    }

    @SuppressWarnings("unchecked")
    public <T> T eval(String source, RScript.ReturnType type, List<Object> keys, Object... args) {
        return (T) script.eval(RScript.Mode.READ_WRITE, source, type, keys, args);
    }

    /** The same as {@link #eval}, without waiting: several scripts on different cluster nodes run side by side. */
    public <T> java.util.concurrent.CompletionStage<T> evalAsync(String source, RScript.ReturnType type, List<Object> keys,
                                                                 Object... args) {
        return script.evalAsync(RScript.Mode.READ_WRITE, source, type, keys, args);
    }

    private static String load(String name) {
        try (InputStream in = LuaScripts.class.getResourceAsStream("/lua/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script /lua/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua script " + name, e);
        }
    }
}
