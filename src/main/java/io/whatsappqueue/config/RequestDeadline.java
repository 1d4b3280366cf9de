package io.whatsappqueue.config;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per HTTP/1 connection: a request's headers must be complete within {@code headerTimeoutMs} of its first
 * byte, and its body within {@code bodyTimeoutMs} of the headers; otherwise the client gets
 * {@code 408 Request Timeout} and the connection is closed (a slowloris client trickling bytes keeps an idle
 * timeout from firing, this does not). Time spent answering is not counted. Two small Netty handlers: one
 * before the HTTP decoder sees the first raw byte of a request, one after it sees the decoded headers and the
 * end of the body. All on the connection's event loop, so no locking.
 */
final class RequestDeadline {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);
    private static final String TIMEOUT_BODY =
            "{\"error\":\"request_timeout\",\"message\":\"The request was not received in time.\"}";
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
            + "Connection: close\r\nContent-Length: " + TIMEOUT_BODY.length() + "\r\n\r\n" + TIMEOUT_BODY)
            .getBytes(StandardCharsets.US_ASCII);

    private enum Phase { WAITING, HEADERS, BODY }

    private final long headerTimeoutMs;
    private final long bodyTimeoutMs;
    private Phase phase = Phase.WAITING;
    private ScheduledFuture<?> deadline;
    private ChannelHandlerContext raw;

    private RequestDeadline(long headerTimeoutMs, long bodyTimeoutMs) {
        this.headerTimeoutMs = headerTimeoutMs;
        this.bodyTimeoutMs = bodyTimeoutMs;
    }

    static void watch(Channel channel, long headerTimeoutMs, long bodyTimeoutMs) {
        if (channel.pipeline().get("httpDecoder") == null) {
            return;
        }
        RequestDeadline d = new RequestDeadline(headerTimeoutMs, bodyTimeoutMs);
        channel.pipeline().addFirst("wa-request-start", d.new FirstByte());
        channel.pipeline().addAfter("httpDecoder", "wa-request-progress", d.new Progress());
    }

    private void arm(Phase next, long ms) {
        cancel();
        phase = next;
        deadline = raw.executor().schedule(this::expire, ms, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expire() {
        if (phase == Phase.WAITING || !raw.channel().isActive()) {
            return;
        }
        LOG.info("HTTP client too slow: request {} not received within {} ms; connection closed",
                phase == Phase.HEADERS ? "headers" : "body", phase == Phase.HEADERS ? headerTimeoutMs : bodyTimeoutMs);
        phase = Phase.WAITING;
        // written at the head of the pipeline, past Vert.x's encoder: nothing of the request reached a route
        raw.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Before the decoder: the first byte of a request starts its header clock. */
    private final class FirstByte extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            raw = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (phase == Phase.WAITING) {
                arm(Phase.HEADERS, headerTimeoutMs);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }
    }

    /** After the decoder: headers complete start the body clock; the body's end stops it. */
    private final class Progress extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                arm(Phase.BODY, bodyTimeoutMs);
            }
            if (msg instanceof LastHttpContent) {
                cancel();
                phase = Phase.WAITING;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
