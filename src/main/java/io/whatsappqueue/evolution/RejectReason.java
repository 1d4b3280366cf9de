package io.whatsappqueue.evolution;

/**
 * Why a webhook body can never be processed. Only 400 and 422 are used: Evolution 2.3+ does not retry
 * them, whereas any other error status would bring the same body back up to ten times.
 */
public enum RejectReason {
    INVALID_JSON(400, "invalid_json"),
    INVALID_EVENT(400, "invalid_event"),
    INVALID_INSTANCE_NAME(422, "invalid_instance_name"),
    UNKNOWN_INSTANCE(422, "unknown_instance"),
    /** Above WA_WEBHOOK_MAX_BODY_BYTES. Not 413: Evolution retries that, ten times, with the same body. */
    PAYLOAD_TOO_LARGE(422, "payload_too_large");

    private final int httpStatus;
    private final String code;

    RejectReason(int httpStatus, String code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }
}
