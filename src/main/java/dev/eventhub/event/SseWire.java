package dev.eventhub.event;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame's bytes on the wire, in the exact form RESTEasy's SSE writer gave them (the API contract
 * suites assert them): a comment line ({@code :}, empty when the frame has neither data nor a
 * comment), then {@code id:}, {@code retry:}, {@code data:}, each ending in {@code \n}, and an empty
 * line. Never {@code event:}.
 *
 * <p>A frame that goes to many streams (an event, a resync) is encoded once into direct memory, so
 * each connection writes a view of the same bytes: Netty hands direct memory to the socket as it is,
 * where heap bytes would be copied once per connection. Direct memory here is the JDK's, freed
 * when the frame is collected, so no reference count has to be kept right across streams.
 */
public final class SseWire {

    private SseWire() {}

    /** The frame's bytes, read-only; in direct memory when {@code shared}. */
    static Buffer encode(Frame frame, boolean shared) {
        Frame source = frame.dataOf();
        if (source != null) {
            return relabelled(frame.id(), source);
        }
        byte[] bytes = text(frame).getBytes(StandardCharsets.UTF_8);
        if (!shared) {
            return Buffer.buffer(bytes);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        // Wrapping a JDK buffer does not free it on release: the garbage collector does, once no
        // write still refers to it.
        return Buffer.buffer(Unpooled.wrappedBuffer(direct));
    }

    /**
     * {@code id:<id>} made for this stream, then {@code source}'s own bytes after its {@code id:}
     * line ({@code data:...} and the empty line), as a view: a multiplexed stream copies no event.
     */
    private static Buffer relabelled(String id, Frame source) {
        Buffer whole = source.wire();
        int skip = source.id() == null ? 0 : ("id:" + source.id() + "\n").getBytes(StandardCharsets.UTF_8).length;
        CompositeByteBuf out = Unpooled.compositeBuffer(2);
        out.addComponent(true, Unpooled.wrappedBuffer(("id:" + id + "\n").getBytes(StandardCharsets.UTF_8)));
        // Vert.x gives direct memory out as an unreleasable view: writing it never frees the shared bytes.
        out.addComponent(true, whole.getByteBuf().slice(skip, whole.length() - skip));
        return Buffer.buffer(out);
    }

    static String text(Frame frame) {
        StringBuilder out =
                new StringBuilder(32 + (frame.data() == null ? 0 : frame.data().length()));
        if (frame.comment() != null || frame.data() == null) {
            out.append(':')
                    .append(frame.comment() == null ? "" : frame.comment())
                    .append('\n');
        }
        if (frame.id() != null) {
            out.append("id:").append(frame.id()).append('\n');
        }
        if (frame.retryMillis() >= 0) {
            out.append("retry:").append(frame.retryMillis()).append('\n');
        }
        if (frame.data() != null) {
            out.append("data:").append(frame.data()).append('\n');
        }
        return out.append('\n').toString();
    }
}
