package io.whatsappqueue.stream;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of a {@code redis-stream} endpoint, each documented where it is declared; routes set them from
 * {{placeholders}} (application.properties maps them to the environment).
 */
@UriParams
@Configurer
public class RedisStreamConfiguration implements Cloneable {

    @UriPath(description = "Which stream of each instance: the key is wa:<instance>:<kind>, e.g. stream (replies to send) or inbound (accepted webhook events).")
    @Metadata(required = true)
    private String kind;

    @UriParam(label = "common", description = "Comma-separated instance names, when no instanceSource is given.")
    private String instances;

    @UriParam(label = "common", description = "Where the instances served right now come from (a bean, #servedInstances); asked on every poll, so instances can change at run time. Overrides instances.")
    private InstanceSource instanceSource;

    @UriParam(label = "consumer", description = "Consumer group name (DESIGN §6: wa_workers for the send stream, wa_ai for inbound).")
    private String group;

    @UriParam(label = "consumer", defaultValue = "to", description = "Payload JSON field holding the contact, for entries written without a chat field (the previous system's): its chat key keeps them in per-chat order.")
    private String legacyChatField = "to";

    @UriParam(label = "consumer", defaultValue = "10", description = "XREADGROUP COUNT per stream and read.")
    private int readCount = 10;

    @UriParam(label = "consumer", defaultValue = "5000", javaType = "long", description = "XREADGROUP BLOCK in ms when nothing is waiting; at most 1000 ms is used so a stop or an instance change takes effect within a second.")
    private long blockMs = 5000;

    @UriParam(label = "consumer", defaultValue = "15000", javaType = "long", description = "An entry pending this long (ms) without its consumer keeping it fresh is taken over (XAUTOCLAIM min idle).")
    private long claimIdleMs = 15000;

    @UriParam(label = "consumer", defaultValue = "8", description = "Processing threads of this consumer, and the most entries of one instance in flight at once.")
    private int concurrency = 8;

    @UriParam(label = "consumer", defaultValue = "2000", javaType = "long", description = "Back-off before the second attempt, in ms; doubles per attempt with ±25 % jitter.")
    private long baseBackoffMs = 2000;

    @UriParam(label = "consumer", defaultValue = "60000", javaType = "long", description = "Longest back-off between attempts, in ms.")
    private long maxBackoffMs = 60000;

    @UriParam(label = "consumer", description = "Per-instance dispatch gate (#sendGate): entries of a closed instance wait without using attempts.")
    private DispatchGate gate = DispatchGate.ALWAYS_OPEN;

    @UriParam(label = "consumer", description = "The route's Redis work run inside the engine's scripts (#sendEntryScripts): its checks with the read, its bookkeeping with the acknowledgement (EntryScripts).")
    private EntryScripts scripts = EntryScripts.NONE;

    @UriParam(label = "consumer", description = "Listener told of retries and held entries (#messageEvents), for logs and metrics.")
    private StreamEvents events = StreamEvents.NONE;

    @UriParam(label = "consumer", defaultValue = "20000", javaType = "long", description = "On stop, how long in-flight entries may take to finish (ms); they are kept fresh meanwhile, the rest stays pending.")
    private long shutdownTimeoutMs = 20000;

    @UriParam(label = "consumer", defaultValue = "86400", javaType = "long", description = "Seconds the markers a route asks for (header CamelRedisStreamMarkOnFinish) are kept.")
    private long markerTtlS = 86400;

    @UriParam(label = "producer", defaultValue = "10000", javaType = "long", description = "Most undelivered entries the stream may hold; a full stream refuses the add (StreamFullException) and is never trimmed.")
    private long maxLen = 10000;

    @UriParam(label = "producer", defaultValue = "86400", javaType = "long", description = "Seconds an add-once id is remembered (header CamelRedisStreamAddOnceId).")
    private long addOnceTtlS = 86400;

    public RedisStreamConfiguration copy() {
        try {
            return (RedisStreamConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getInstances() {
        return instances;
    }

    public void setInstances(String instances) {
        this.instances = instances;
    }

    public InstanceSource getInstanceSource() {
        return instanceSource;
    }

    public void setInstanceSource(InstanceSource instanceSource) {
        this.instanceSource = instanceSource;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getLegacyChatField() {
        return legacyChatField;
    }

    public void setLegacyChatField(String legacyChatField) {
        this.legacyChatField = legacyChatField;
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

    public EntryScripts getScripts() {
        return scripts;
    }

    public void setScripts(EntryScripts scripts) {
        this.scripts = scripts;
    }

    public StreamEvents getEvents() {
        return events;
    }

    public void setEvents(StreamEvents events) {
        this.events = events;
    }

    public long getShutdownTimeoutMs() {
        return shutdownTimeoutMs;
    }

    public void setShutdownTimeoutMs(long shutdownTimeoutMs) {
        this.shutdownTimeoutMs = shutdownTimeoutMs;
    }

    public long getMarkerTtlS() {
        return markerTtlS;
    }

    public void setMarkerTtlS(long markerTtlS) {
        this.markerTtlS = markerTtlS;
    }

    public long getMaxLen() {
        return maxLen;
    }

    public void setMaxLen(long maxLen) {
        this.maxLen = maxLen;
    }

    public long getAddOnceTtlS() {
        return addOnceTtlS;
    }

    public void setAddOnceTtlS(long addOnceTtlS) {
        this.addOnceTtlS = addOnceTtlS;
    }
}
