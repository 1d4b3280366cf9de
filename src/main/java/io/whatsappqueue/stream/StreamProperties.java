package io.whatsappqueue.stream;

/**
 * Exchange properties a stream consumer sets. Properties, not headers: headers would travel to Evolution
 * as HTTP headers.
 */
public final class StreamProperties {
    public static final String INSTANCE = "WaInstance";
    public static final String STREAM = "WaStream";
    public static final String STREAM_ID = "WaStreamId";
    /** Attempt number of this try: Redis delivery count plus counted retries (a crash counts as one). */
    public static final String DELIVERY = "WaDelivery";
    public static final String RECLAIMED = "WaReclaimed";
    /** All fields of the entry, for dead-lettering entries without a usable payload. */
    public static final String FIELDS = "WaFields";

    private StreamProperties() {
    }
}
