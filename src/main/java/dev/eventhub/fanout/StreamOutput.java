package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import java.util.List;

/**
 * Where a {@link Connection} writes: an HTTP response ({@link ResponseOutput}) or a stream of frame
 * objects ({@link EmitterOutput}). Called on the connection's event loop only (or under the
 * connection's lock where it has none).
 */
interface StreamOutput {

    /** How many frames may be written now: 0 while the reader is behind (the socket's buffer is full). */
    long capacity();

    /** Writes {@code frames}, in order, as one write. */
    void write(List<Frame> frames);

    /** Whether the reader is gone or the stream ended. */
    boolean ended();

    /** Ends the stream after what was written. */
    void end();

    /** Ends a reader that fell too far behind; its browser resumes from its last id. */
    void cut(String why);
}
