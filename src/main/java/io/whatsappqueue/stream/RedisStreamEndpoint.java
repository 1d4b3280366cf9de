package io.whatsappqueue.stream;

import java.util.Arrays;
import java.util.List;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** Options of a stream consumer; every one is set from a {{placeholder}} in the route. */
public class RedisStreamEndpoint extends DefaultEndpoint {
    private final String kind;
    private String instances;
    private String group;
    private String orderField = "to";
    private int readCount = 10;
    private long blockMs = 5000;
    private long claimIdleMs = 15000;
    private int concurrency = 8;
    private long baseBackoffMs = 2000;
    private long maxBackoffMs = 60000;
    private DispatchGate gate = DispatchGate.ALWAYS_OPEN;
    private StreamEvents events = StreamEvents.NONE;

    public RedisStreamEndpoint(String uri, RedisStreamComponent component, String kind) {
        super(uri, component);
        this.kind = kind;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("redis-stream is consume-only; enqueue with the replyQueue bean");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        StreamStore store = getCamelContext().getRegistry().findSingleByType(StreamStore.class);
        if (store == null) {
            throw new IllegalStateException("no StreamStore bean in the registry");
        }
        RedisStreamConsumer consumer = new RedisStreamConsumer(this, processor, store);
        configureConsumer(consumer);
        return consumer;
    }

    public String getKind() {
        return kind;
    }

    public List<String> instanceList() {
        return Arrays.stream(instances.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String getInstances() {
        return instances;
    }

    public void setInstances(String instances) {
        this.instances = instances;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getOrderField() {
        return orderField;
    }

    public void setOrderField(String orderField) {
        this.orderField = orderField;
    }

    public int getReadCount() {
        return readCount;
    }

    public void setReadCount(int readCount) {
        this.readCount = readCount;
    }

    public long getBlockMs() {
        return blockMs;
    }

    public void setBlockMs(long blockMs) {
        this.blockMs = blockMs;
    }

    public long getClaimIdleMs() {
        return claimIdleMs;
    }

    public void setClaimIdleMs(long claimIdleMs) {
        this.claimIdleMs = claimIdleMs;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public long getBaseBackoffMs() {
        return baseBackoffMs;
    }

    public void setBaseBackoffMs(long baseBackoffMs) {
        this.baseBackoffMs = baseBackoffMs;
    }

    public long getMaxBackoffMs() {
        return maxBackoffMs;
    }

    public void setMaxBackoffMs(long maxBackoffMs) {
        this.maxBackoffMs = maxBackoffMs;
    }

    public DispatchGate getGate() {
        return gate;
    }

    public void setGate(DispatchGate gate) {
        this.gate = gate;
    }

    public StreamEvents getEvents() {
        return events;
    }

    public void setEvents(StreamEvents events) {
        this.events = events;
    }
}
