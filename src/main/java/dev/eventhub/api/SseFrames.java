package dev.eventhub.api;

import dev.eventhub.event.Frame;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/** What every stream resource shares: the proxy headers and a frame's SSE form. */
final class SseFrames {

    private SseFrames() {}

    /** Proxies must neither cache nor buffer a stream (X-Accel-Buffering is nginx's switch). */
    static void streamHeaders(HttpServerResponse response) {
        response.putHeader("Cache-Control", "no-cache");
        response.putHeader("X-Accel-Buffering", "no");
    }

    /** The frame's SSE event, built once per frame and shared by every stream it goes to. */
    static OutboundSseEvent of(Sse sse, Frame frame) {
        return frame.encoded(f -> toSse(sse, f));
    }

    /** Data goes as a String with no media type, so it is written raw, not re-encoded. */
    private static OutboundSseEvent toSse(Sse sse, Frame frame) {
        OutboundSseEvent.Builder builder = sse.newEventBuilder();
        if (frame.id() != null) {
            builder.id(frame.id());
        }
        if (frame.data() != null) {
            builder.data(frame.data());
        }
        if (frame.comment() != null) {
            builder.comment(frame.comment());
        } else if (frame.data() == null) {
            builder.comment(""); // JAX-RS needs data or a comment; an empty comment is ":", ignored by browsers
        }
        if (frame.retryMillis() >= 0) {
            builder.reconnectDelay(frame.retryMillis());
        }
        return builder.build();
    }
}
