package io.whatsappqueue.stream;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code redis-stream:<kind>}: the Redis streams {@code wa:<instance>:<kind>} of every served instance, consumed
 * as a consumer-group member ({@link RedisStreamConsumer}) or appended to once ({@link RedisStreamProducer}).
 * The guarantees and how they are kept: docs/guarantees.md.
 */
@Component("redis-stream")
public class RedisStreamComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RedisStreamConfiguration configuration = new RedisStreamConfiguration();
        configuration.setKind(remaining);
        RedisStreamEndpoint endpoint = new RedisStreamEndpoint(uri, this, configuration);
        setProperties(endpoint, parameters);
        if (!remaining.matches("[a-z][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("redis-stream: kind '" + remaining + "' must be a short lower-case word");
        }
        return endpoint;
    }
}
