package io.whatsappqueue.stream;

import org.apache.camel.spi.Metadata;

/**
 * Headers the {@code redis-stream} component reads and sets. They start with {@code Camel}, so camel-http's
 * header filter never sends them to Evolution, and a route can drop everything else with
 * {@code removeHeaders: {pattern: "*", excludePattern: "CamelRedisStream*"}}.
 */
public final class RedisStreamConstants {

    @Metadata(label = "consumer", description = "The Evolution instance whose stream the entry came from; producer: the instance whose stream to add to (required).", javaType = "String")
    public static final String INSTANCE = "CamelRedisStreamInstance";

    @Metadata(label = "consumer", description = "The Redis key of the stream, e.g. wa:demo:stream.", javaType = "String")
    public static final String KEY = "CamelRedisStreamKey";

    @Metadata(description = "Consumer: the entry's stream id. Producer: the id of the entry it added (null for a duplicate).", javaType = "String")
    public static final String ID = "CamelRedisStreamId";

    @Metadata(label = "consumer", description = "The attempt this try is (1-based): Redis's delivery count plus the retries the consumer counted; a crash counts as one. The route adds what the payload itself carries (the previous system's attempts).", javaType = "Integer")
    public static final String DELIVERY = "CamelRedisStreamDelivery";

    @Metadata(label = "consumer", description = "True when the entry was taken over from a consumer that stopped.", javaType = "Boolean")
    public static final String RECLAIMED = "CamelRedisStreamReclaimed";

    @Metadata(label = "consumer", description = "Every field of the entry, for dead-lettering an entry without a usable payload.", javaType = "java.util.Map<String, String>")
    public static final String FIELDS = "CamelRedisStreamFields";

    @Metadata(label = "producer", description = "The contact (number or JID) the entry belongs to. The producer stores its chat key (redis.Keys#chat) in the entry's chat field, so consumers keep per-chat order without reading the payload.", javaType = "String")
    public static final String CHAT = "CamelRedisStreamChat";

    @Metadata(label = "producer", description = "Add-once id: a second add with the same id within the add-once time is not added (outcome duplicate). The send stream uses the message_id (wa:msg:<id>), the inbound stream Evolution's key.id.", javaType = "String")
    public static final String ADD_ONCE_ID = "CamelRedisStreamAddOnceId";

    @Metadata(label = "producer", description = "What the add did: added or duplicate. A full stream throws StreamFullException instead.", javaType = "String")
    public static final String ADD_OUTCOME = "CamelRedisStreamAddOutcome";

    @Metadata(label = "consumer", description = "Set by the route: keys to SET (key to value) in the same atomic step that acknowledges and deletes the entry, e.g. the send marker. Written only when the entry is finished.", javaType = "java.util.Map<String, String>")
    public static final String MARK_ON_FINISH = "CamelRedisStreamMarkOnFinish";

    @Metadata(label = "consumer", description = "What the consumer's EntryScripts admission (wq_admit) answered for this entry when it was read, e.g. go, sent, opted_out, cancelled; absent when it was not asked (a retry, a pause, an entry taken over). Valid together with AdmittedAt only.", javaType = "String")
    public static final String ADMISSION = "CamelRedisStreamAdmission";

    @Metadata(label = "consumer", description = "When the admission in CamelRedisStreamAdmission was answered (epoch ms): the route decides whether it is still fresh.", javaType = "Long")
    public static final String ADMITTED_AT = "CamelRedisStreamAdmittedAt";

    @Metadata(label = "consumer", description = "Set by the route: the keys and arguments of the consumer's EntryScripts wq_finished (an EntryScripts.Call), run in the same atomic step that acknowledges and deletes the entry, e.g. the send status.", javaType = "io.whatsappqueue.stream.EntryScripts.Call")
    public static final String FINISH_CALL = "CamelRedisStreamFinishCall";

    /** Outcome values of {@link #ADD_OUTCOME}. */
    public static final String ADDED = "added";
    public static final String DUPLICATE = "duplicate";

    private RedisStreamConstants() {
    }
}
