package io.whatsappqueue.admin;

import java.util.List;
import java.util.Optional;

import io.whatsappqueue.redis.Keys;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamConsumer;
import org.redisson.api.StreamGroup;
import org.redisson.client.codec.StringCodec;

/** Read-only views of a send stream and its {@code wa_workers} group. Never creates a key. */
final class StreamGroups {
    static final String GROUP = Keys.SEND_GROUP;

    private final RedissonClient redis;

    StreamGroups(RedissonClient redis) {
        this.redis = redis;
    }

    RStream<String, String> stream(String key) {
        return redis.getStream(key, StringCodec.INSTANCE);
    }

    boolean exists(String key) {
        return stream(key).isExists();
    }

    /** XLEN; 0 for a missing key. */
    long length(String key) {
        return stream(key).size();
    }

    List<StreamGroup> groups(String key) {
        RStream<String, String> s = stream(key);
        return s.isExists() ? s.listGroups() : List.of();
    }

    Optional<StreamGroup> workers(String key) {
        return groups(key).stream().filter(g -> g.getName().equals(GROUP)).findFirst();
    }

    List<StreamConsumer> consumers(String key) {
        return workers(key).isPresent() ? stream(key).listConsumers(GROUP) : List.of();
    }
}
