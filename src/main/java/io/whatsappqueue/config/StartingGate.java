package io.whatsappqueue.config;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers 503 on {@code PORT} while the routes are not all started: Camel's HTTP server listens before the
 * webhook route exists (and its routes stop before it closes), and a request then would find no route and get
 * 404, which Evolution 2.3 never retries (EVOLUTION_API.md §1.4): the patient's message would be lost. A 503
 * with {@code Retry-After} is retried. Installed on each connection of that port, right after Vert.x's HTTP
 * decoder, it decides per request (one volatile read), so a keep-alive connection opened while the service ran
 * gets the 503 too once it is stopping.
 */
final class StartingGate extends ChannelInboundHandlerAdapter {
    private static final byte[] NOT_STARTED = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + "Retry-After: 1\r\nConnection: close\r\nContent-Length: 80\r\n\r\n"
            + "{\"error\":\"starting\",\"message\":\"The service is starting or stopping; try again.\"}")
            .getBytes(StandardCharsets.UTF_8);

    private final BooleanSupplier started;
    private ChannelHandlerContext head;
    private boolean refusing;
    private boolean answered;

    private StartingGate(BooleanSupplier started) {
        this.started = started;
    }

    /** Puts the gate on a new connection's pipeline. */
    static void watch(Channel channel, BooleanSupplier started) {
        if (channel.pipeline().get("httpDecoder") == null) {
            return;
        }
        channel.pipeline().addAfter("httpDecoder", "wa-starting-gate", new StartingGate(started));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        head = ctx.pipeline().firstContext();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && !answered) {
            refusing = !started.getAsBoolean();
        }
        if (!refusing) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (msg instanceof HttpRequest && !answered) {
            answered = true;
            // written at the head of the pipeline, past Vert.x's encoder: no route saw the request
            head.writeAndFlush(Unpooled.wrappedBuffer(NOT_STARTED)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
