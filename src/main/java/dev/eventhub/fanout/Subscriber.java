package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open stream. Frames go into its emitter; the stream's overflow buffer is bounded by
 * {@code realtime.stream.buffer-size}, and when a client reads too slowly it overflows and the
 * stream ends (the browser reconnects and resumes from its last id), so a slow reader costs a
 * bounded amount of memory and never slows the others.
 */
final class Subscriber {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Topic topic;
    private final MultiEmitter<? super Frame> emitter;
    private final HubStats stats;
    private volatile long lifetimeTimer = -1;

    Subscriber(Topic topic, MultiEmitter<? super Frame> emitter, HubStats stats) {
        this.topic = topic;
        this.emitter = emitter;
        this.stats = stats;
    }

    long lifetimeTimer() {
        return lifetimeTimer;
    }

    void lifetimeTimer(long timerId) {
        this.lifetimeTimer = timerId;
    }

    long id() {
        return id;
    }

    Topic topic() {
        return topic;
    }

    void send(Frame frame) {
        if (!emitter.isCancelled()) {
            emitter.emit(frame);
            if (frame.data() != null) {
                stats.delivered.increment();
            }
        }
    }

    /** Ends the stream normally; the client will reconnect after its retry delay. */
    void end() {
        emitter.complete();
    }

    @Override
    public String toString() {
        return "connection " + id + " on " + topic;
    }
}
