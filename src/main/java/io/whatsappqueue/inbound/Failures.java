package io.whatsappqueue.inbound;

/**
 * Describes a failure for a log line without its messages: Redis client errors quote the command's
 * parameters and parser errors quote the input, and either may hold a patient's text or number. The class
 * chain and where the root was thrown are enough to find the cause.
 */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        StringBuilder out = new StringBuilder();
        Throwable c = t;
        Throwable root = t;
        for (int depth = 0; c != null && depth < 8; depth++) {
            if (out.length() > 0) {
                out.append(" <- ");
            }
            out.append(c.getClass().getName());
            root = c;
            c = c.getCause() == c ? null : c.getCause();
        }
        StackTraceElement[] where = root.getStackTrace();
        if (where.length > 0) {
            out.append(" at ").append(where[0]);
        }
        return out.toString();
    }
}
