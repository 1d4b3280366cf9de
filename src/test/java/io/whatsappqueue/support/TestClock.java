package io.whatsappqueue.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * A clock the test sets, bound as the app's one {@code clock} bean. List it before the app's configuration, so the
 * app finds it instead of binding the system clock:
 * {@code @CamelMainTest(configurationClasses = {TestClock.class, AppConfiguration.class})}, then
 * {@code TestClock.set(Instant.parse("2026-03-29T09:00:00Z"))} before posting.
 */
public final class TestClock implements CamelConfiguration {
    private static final Settable CLOCK = new Settable();

    /** From now on the app's time is {@code instant} (it stands still until set again). */
    public static void set(Instant instant) {
        CLOCK.now = instant;
    }

    @Override
    public void configure(CamelContext ctx) {
        ctx.getRegistry().bind("clock", CLOCK);
    }

    private static final class Settable extends Clock {
        private volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
