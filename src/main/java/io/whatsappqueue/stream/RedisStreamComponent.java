package io.whatsappqueue.stream;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code redis-stream:<kind>?instances=a,b&group=...}: consumes {@code wa:<instance>:<kind>} of every listed
 * instance as a member of a consumer group. See {@link RedisStreamConsumer}.
 */
public class RedisStreamComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RedisStreamEndpoint endpoint = new RedisStreamEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
