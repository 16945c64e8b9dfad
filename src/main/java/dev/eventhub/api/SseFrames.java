package dev.eventhub.api;

import io.vertx.core.http.HttpServerResponse;

/** What every stream resource shares: the proxy headers (the frames' SSE form is {@code event/SseWire}). */
final class SseFrames {

    private SseFrames() {}

    /** Proxies must neither cache nor buffer a stream (X-Accel-Buffering is nginx's switch). */
    static void streamHeaders(HttpServerResponse response) {
        response.putHeader("Cache-Control", "no-cache");
        response.putHeader("X-Accel-Buffering", "no");
    }
}
