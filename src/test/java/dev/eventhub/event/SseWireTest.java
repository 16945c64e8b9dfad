package dev.eventhub.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
