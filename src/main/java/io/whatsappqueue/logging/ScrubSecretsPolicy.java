package io.whatsappqueue.logging;

import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * log4j2 rewrite policy ({@code <ScrubSecrets/>} in log4j2.xml): every log event, whoever logs it (Camel's
 * start-up summary, Redisson, our code), leaves with its message and its exception's messages scrubbed of
 * the configured secret values ({@link SecretValues}). Events without a secret pass unchanged.
 */
@Plugin(name = "ScrubSecrets", category = Core.CATEGORY_NAME, elementType = "rewritePolicy", printObject = true)
public final class ScrubSecretsPolicy implements RewritePolicy {

    @PluginFactory
    public static ScrubSecretsPolicy create() {
        return new ScrubSecretsPolicy();
    }

    @Override
    public LogEvent rewrite(LogEvent event) {
        String message = event.getMessage() == null ? null : event.getMessage().getFormattedMessage();
        boolean messageLeaks = SecretValues.leaks(message);
        boolean thrownLeaks = thrownLeaks(event.getThrown());
        if (!messageLeaks && !thrownLeaks) {
            return event;
        }
        Log4jLogEvent.Builder b = new Log4jLogEvent.Builder(event);
        if (messageLeaks) {
            b.setMessage(new SimpleMessage(SecretValues.scrub(message)));
        }
        if (thrownLeaks) {
            b.setThrown(Scrubbed.of(event.getThrown())).setThrownProxy(null);
        }
        return b.build();
    }

    private static boolean thrownLeaks(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (SecretValues.leaks(c.toString())) {
                return true;
            }
        }
        return false;
    }

    /** A stand-in for an exception whose message held a secret: same type name, stack and causes, scrubbed text. */
    static final class Scrubbed extends RuntimeException {
        private final String text;

        private Scrubbed(Throwable original, Throwable cause) {
            super(SecretValues.scrub(original.getMessage()), cause, false, false);
            this.text = SecretValues.scrub(original.toString());
            setStackTrace(original.getStackTrace());
        }

        static Throwable of(Throwable t) {
            if (t == null) {
                return null;
            }
            return new Scrubbed(t, t.getCause() == t ? null : of(t.getCause()));
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
