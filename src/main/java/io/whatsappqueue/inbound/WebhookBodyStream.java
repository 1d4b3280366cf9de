package io.whatsappqueue.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The webhook's request body as a blocking stream, read chunk by chunk as it arrives (the route runs on a
 * worker thread; Vert.x delivers chunks on its event loop), so a body is never held in memory whole: a 16 MB
 * Evolution event with inline media costs one network chunk at a time. Asks for the next chunk only when the
 * previous one is used up (back-pressure), and stops at {@code maxBytes} with {@link TooLarge}.
 */
final class WebhookBodyStream extends InputStream {
    /** Evolution sends a body at once; this long without a byte mid-body is a dead or hostile client. */
    static final long IDLE_TIMEOUT_MS = 30_000;
    private static final Object END = new Object();

    /** The body went past WA_WEBHOOK_MAX_BODY_BYTES; the rest was not read. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long maxBytes) {
            super("body larger than " + maxBytes + " bytes", null);
        }
    }

    private final HttpServerRequest request;
    private final long maxBytes;
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private Buffer chunk;
    private int position;
    private long total;
    private boolean ended;

    /** @param request paused (platform-http with {@code useBodyHandler=false} hands it over so) */
    WebhookBodyStream(HttpServerRequest request, long maxBytes) {
        this.request = request;
        this.maxBytes = maxBytes;
        request.handler(arrived::add);
        request.exceptionHandler(arrived::add);
        request.endHandler(v -> arrived.add(END));
        request.fetch(1);
    }

    /**
     * Reads and drops whatever the client still sends, after the answer: an early answer (401, 422) must not
     * leave the connection stuck on an unread body, and closing it mid-upload would make Evolution see a
     * network error (which it retries) instead of the answer.
     */
    void discardRest() {
        if (!ended) {
            ended = true;
            request.handler(ignored -> { });
            request.exceptionHandler(ignored -> { });
            request.endHandler(ignored -> { });
            request.resume();
        }
        arrived.clear();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (chunk == null || position == chunk.length()) {
            if (ended) {
                return -1;
            }
            next();
        }
        int n = Math.min(length, chunk.length() - position);
        chunk.getBytes(position, position + n, into, offset);
        position += n;
        return n;
    }

    private void next() throws IOException {
        Object item;
        try {
            item = arrived.poll(IDLE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the request body", e);
        }
        if (item == null) {
            throw new IOException("no part of the body arrived for " + IDLE_TIMEOUT_MS + " ms");
        }
        if (item == END) {
            ended = true;
            chunk = null;
            return;
        }
        if (item instanceof Throwable t) {
            throw new IOException("the request body could not be read: " + t.getMessage(), t);
        }
        chunk = (Buffer) item;
        position = 0;
        total += chunk.length();
        if (total > maxBytes) {
            throw new TooLarge(maxBytes);
        }
        request.fetch(1);
    }
}
