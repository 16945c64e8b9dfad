package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * A stream written straight to its HTTP response: each frame's shared bytes ({@link Frame#wire()})
 * as they are, and all frames ready at once as one write (a composite of views, no copy), only
 * while the socket takes them; the response's drain handler says when it does again.
 *
 * <p>RESTEasy sent the status and headers before this stream started and ends the response when
 * {@code lifecycle} (the resource method's item-less {@code Multi}) completes; it writes nothing
 * else unless a token's expiry appends its last message after that {@code Multi} was cancelled.
 */
final class ResponseOutput implements StreamOutput {

    private final HttpServerResponse response;
    private final MultiEmitter<?> lifecycle;

    ResponseOutput(HttpServerResponse response, MultiEmitter<?> lifecycle) {
        this.response = response;
        this.lifecycle = lifecycle;
    }

    /** Calls {@code writable} (on the response's event loop) when the socket takes writes again. */
    void onWritable(Runnable writable) {
        response.drainHandler(ignored -> writable.run());
    }

    @Override
    public long capacity() {
        return ended() || response.writeQueueFull() ? 0 : Long.MAX_VALUE;
    }

    @Override
    public void write(List<Frame> frames) {
        Buffer out;
        if (frames.size() == 1) {
            out = frames.get(0).wire();
        } else {
            CompositeByteBuf composite = Unpooled.compositeBuffer(frames.size());
            for (Frame frame : frames) {
                composite.addComponent(true, frame.wire().getByteBuf());
            }
            out = Buffer.buffer(composite);
        }
        try {
            response.write(out, null); // no completion handler: no promise per write
        } catch (IllegalStateException ended) {
            lifecycle.complete(); // ended meanwhile (the close reaches the lifecycle next)
        }
    }

    /**
     * RESTEasy cancels the lifecycle when the connection closes, and it completes when the stream
     * ends: a volatile read, where the response's own {@code closed()} takes its connection's lock
     * (it showed as a fifth of the hub's samples, asked for every frame by the feeds' threads).
     */
    @Override
    public boolean ended() {
        return lifecycle.isCancelled();
    }

    @Override
    public void end() {
        lifecycle.complete();
    }

    @Override
    public void cut(String why) {
        lifecycle.complete(); // ended, not failed: the browser reconnects and resumes
    }
}
