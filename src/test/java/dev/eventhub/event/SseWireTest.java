package dev.eventhub.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Frames on the wire, byte for byte as RESTEasy's SSE writer gave them (the API suites' contract). */
class SseWireTest {

    private static String wire(Frame frame) {
        return frame.wire().toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachKindOfFrameHasItsExactBytes() {
        EventId id = new EventId("k3x9q2ma01", 17);
        assertEquals(":\nretry:2000\n\n", wire(Frame.open(2000)));
        assertEquals(":\nid:k3x9q2ma01-17\n\n", wire(Frame.position(id)));
        assertEquals(":\n\n", wire(Frame.heartbeat()));
        assertEquals(
                "id:k3x9q2ma01-17\ndata:{\"a\":\"é\"}\n\n", wire(Frame.event(new StoredEvent(id, "{\"a\":\"é\"}"))));
        assertEquals("id:c1\ndata:{}\n\n", wire(Frame.withId("c1", "{}")));
        assertEquals("data:{}\n\n", wire(Frame.withId(null, "{}")));
    }

    @Test
    void aFrameIsEncodedOnce() {
        Frame frame = Frame.event(new StoredEvent(new EventId("k3x9q2ma01", 1), "{}"));
        assertSame(frame.wire(), frame.wire());
    }

    @Test
    void aMultiplexedCopyOfAnEventHasTheSameBytesAsOneMadeAnewAndSharesItsData() {
        Frame event = Frame.event(new StoredEvent(new EventId("k3x9q2ma01", 17), "{\"a\":\"é\"}"));
        Frame copy = Frame.relabelled("cursor-1", event);
        assertEquals(wire(Frame.withId("cursor-1", event.data())), wire(copy));

        ByteBuf bytes = copy.wire().getByteBuf(); // Vert.x's views around the buffer the frame made
        while (!(bytes instanceof CompositeByteBuf) && bytes.unwrap() != null) {
            bytes = bytes.unwrap();
        }
        CompositeByteBuf parts = assertInstanceOf(CompositeByteBuf.class, bytes);
        long skipped = "id:k3x9q2ma01-17\n".length();
        assertEquals(
                event.wire().getByteBuf().memoryAddress() + skipped,
                parts.component(1).memoryAddress());
    }

    @Test
    void writingAMultiplexedCopyNeverFreesTheEventsSharedBytes() {
        Frame event = Frame.event(new StoredEvent(new EventId("k3x9q2ma01", 1), "{}"));
        for (int stream = 0; stream < 3; stream++) {
            ByteBuf written = Frame.relabelled("c" + stream, event).wire().getByteBuf();
            written.release(); // what Netty does once a write is on the socket
        }
        assertEquals("id:k3x9q2ma01-1\ndata:{}\n\n", wire(event));
        assertEquals("id:c9\ndata:{}\n\n", wire(Frame.relabelled("c9", event)));
    }

    @Test
    void hubMessagesAndFramesWithoutACursorAreMadeAnew() {
        Frame message = Frame.message(new EventId("k3x9q2ma01", 1), "{\"action\":\"resync\"}");
        assertEquals("id:c\ndata:{\"action\":\"resync\"}\n\n", wire(Frame.relabelled("c", message)));
        Frame event = Frame.event(new StoredEvent(new EventId("k3x9q2ma01", 2), "{}"));
        assertEquals("data:{}\n\n", wire(Frame.relabelled(null, event)));
    }
}
