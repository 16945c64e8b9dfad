package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open stream. Frames go into its emitter; the stream's overflow buffer is bounded by
 * {@code realtime.stream.buffer-size}, and when a client reads too slowly it overflows and the
 * stream ends (the browser reconnects and resumes from its last id), so a slow reader costs a
 * bounded amount of memory and never slows the others.
 *
 * <p>Frames are handed to the stream on its connection's own event loop: a topic's dispatch then
 * only queues a task per subscriber, and the encoding and socket writes of a large fan-out spread
 * over every event loop instead of running on the one thread that read the event. Tasks run in
 * order, so a stream's frames keep their order; the queued ones count against the same bound.
 */
final class Subscriber {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Topic topic;
    private final MultiEmitter<? super Frame> emitter;
    private final HubStats stats;
    /** The connection's event loop, or null outside one (then frames are handed over at once). */
    private final Context context;

    private final int limit;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile long lifetimeTimer = -1;

    Subscriber(Topic topic, MultiEmitter<? super Frame> emitter, HubStats stats) {
        this(topic, emitter, stats, null, Integer.MAX_VALUE);
    }

    Subscriber(Topic topic, MultiEmitter<? super Frame> emitter, HubStats stats, Context context, int limit) {
        this.topic = topic;
        this.emitter = emitter;
        this.stats = stats;
        this.context = context;
        this.limit = limit;
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
        if (emitter.isCancelled()) {
            return;
        }
        if (context == null || Vertx.currentContext() == context) {
            emitNow(frame);
        } else if (queued.incrementAndGet() > limit) {
            // Its event loop is this far behind: as for a slow reader, end it; it resumes elsewhere.
            emitter.fail(new BackPressureFailure("stream fell " + limit + " frames behind on its event loop"));
        } else {
            context.runOnContext(ignored -> {
                queued.decrementAndGet();
                emitNow(frame);
            });
        }
    }

    private void emitNow(Frame frame) {
        if (!emitter.isCancelled()) {
            emitter.emit(frame);
            if (frame.data() != null) {
                stats.delivered.increment();
            }
        }
    }

    /** Ends the stream normally, after the frames already sent; the client reconnects after its retry delay. */
    void end() {
        if (context == null || Vertx.currentContext() == context) {
            emitter.complete();
        } else {
            context.runOnContext(ignored -> emitter.complete());
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " on " + topic;
    }
}
