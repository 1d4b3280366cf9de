package io.whatsappqueue.evolution;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Pattern;

/**
 * Reads {@code messageTimestamp}. Current Evolution sends a JSON number, but older send paths and relays
 * send a decimal string, and 2.3.6 serialises protobuf longs as {@code {"low":…,"high":…,"unsigned":…}}.
 */
final class EpochSeconds {

    /** 9999-12-31T23:59:59Z: anything later is not a plausible seconds value (milliseconds, garbage). */
    static final long MAX = 253_402_300_799L;

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");
    private static final long INT32_MIN = Integer.MIN_VALUE;
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private EpochSeconds() {
    }

    /**
     * @return the epoch seconds, or null when the node is missing or JSON null
     * @throws MalformedEventException when the value is present but is not one of the three known shapes,
     *                                 or lies outside 0..{@link #MAX}
     */
    static Long read(JsonNode node, String field) throws MalformedEventException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        long seconds;
        if (node.isNumber()) {
            if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
                throw invalid(field);
            }
            seconds = node.longValue();
        } else if (node.isTextual() && DECIMAL.matcher(node.textValue()).matches()) {
            seconds = Long.parseLong(node.textValue());
        } else if (node.isObject()) {
            seconds = fromLongObject(node, field);
        } else {
            throw invalid(field);
        }
        if (seconds < 0 || seconds > MAX) {
            throw invalid(field);
        }
        return seconds;
    }

    /** protobufjs Long: two 32-bit halves; {@code low} may be serialised signed or unsigned. */
    private static long fromLongObject(JsonNode node, String field) throws MalformedEventException {
        JsonNode low = node.get("low");
        JsonNode high = node.get("high");
        if (!isInt32Half(low) || !isInt32Half(high)) {
            throw invalid(field);
        }
        return (high.longValue() << 32) | (low.longValue() & UINT32_MAX);
    }

    private static boolean isInt32Half(JsonNode half) {
        return half != null && half.isIntegralNumber() && half.canConvertToLong()
                && half.longValue() >= INT32_MIN && half.longValue() <= UINT32_MAX;
    }

    private static MalformedEventException invalid(String field) {
        return new MalformedEventException(field + " must be epoch seconds: a whole number, a decimal string or a"
                + " {low,high,unsigned} object, between 0 and " + MAX);
    }
}
