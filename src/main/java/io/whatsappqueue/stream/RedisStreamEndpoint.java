package io.whatsappqueue.stream;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Reads the Redis streams wa:INSTANCE:KIND of every served Evolution instance as a consumer-group member, in
 * per-chat order with retries, pauses and reclaims, or appends to one of them once. Options are in
 * RedisStreamConfiguration, headers in RedisStreamConstants, guarantees in docs/guarantees.md.
 */
@UriEndpoint(firstVersion = "0.2.0", scheme = "redis-stream", title = "Redis Stream", syntax = "redis-stream:kind",
        category = {Category.MESSAGING}, headersClass = RedisStreamConstants.class)
public class RedisStreamEndpoint extends DefaultEndpoint {

    @UriParam
    private RedisStreamConfiguration configuration;

    public RedisStreamEndpoint(String uri, RedisStreamComponent component, RedisStreamConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new RedisStreamProducer(this, store());
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (configuration.getGroup() == null || configuration.getGroup().isBlank()) {
            throw new IllegalArgumentException("redis-stream consumer needs the group option");
        }
        RedisStreamConsumer consumer = new RedisStreamConsumer(this, processor, store());
        configureConsumer(consumer);
        return consumer;
    }

    private StreamStore store() {
        StreamStore store = getCamelContext().getRegistry().findSingleByType(StreamStore.class);
        if (store == null) {
            throw new IllegalStateException("redis-stream needs a StreamStore bean in the registry");
        }
        return store;
    }

    /** The instances served right now: the instanceSource's answer, or the fixed instances list. */
    public Set<String> servedInstances() {
        InstanceSource source = configuration.getInstanceSource();
        if (source != null) {
            return source.instances();
        }
        String list = configuration.getInstances();
        if (list == null) {
            return Set.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The Redis key of one instance's stream of this endpoint's kind. */
    public String streamKey(String instance) {
        return io.whatsappqueue.redis.Keys.stream(instance, configuration.getKind());
    }

    /** The instance a stream key of this endpoint belongs to ({@code wa:<instance>:<kind>}, hash tag or not). */
    public String instanceOf(String streamKey) {
        String inner = streamKey.substring(3, streamKey.length() - configuration.getKind().length() - 1);
        return inner.startsWith("{") && inner.endsWith("}") ? inner.substring(1, inner.length() - 1) : inner;
    }

    public RedisStreamConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RedisStreamConfiguration configuration) {
        this.configuration = configuration;
    }
}
