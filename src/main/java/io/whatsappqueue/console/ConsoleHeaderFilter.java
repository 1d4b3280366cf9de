package io.whatsappqueue.console;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The console endpoints' header filter: platform-http's own ({@link HttpHeaderFilterStrategy}), except that the
 * {@code Cache-Control} the console sets goes out. Camel's common HTTP filters drop it from every answer, so
 * {@code Cache-Control: no-store} never reached the browser and a revealed dead letter (full number and text)
 * could stay in its cache (docs/operate.md, "Console").
 */
public final class ConsoleHeaderFilter extends HttpHeaderFilterStrategy {
    /** Bean name the console routes' endpoints refer to ({@code headerFilterStrategy: "#consoleHeaderFilter"}). */
    public static final String NAME = "consoleHeaderFilter";

    public ConsoleHeaderFilter() {
        getOutFilter().remove("cache-control");
    }
}
