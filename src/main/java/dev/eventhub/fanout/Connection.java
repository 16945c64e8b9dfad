package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open stream (one HTTP response), of one topic or of several. Its topics' feeds hand it their
 * frames through a {@link Subscriber} each; the stream's own frames (retry, heartbeat) come from
 * its lifecycle. Frames are written on the connection's own event loop: a feed only queues a task,
 * and the writes of a large fan-out spread over every event loop. Tasks run in order, so a topic's
 * frames keep their order; frames queued and not yet written count against the stream's bound, and
 * past it the stream is ended (the browser resumes from its last id).
 *
 * <p>A multiplexed stream rewrites each frame's {@code id:} to its cursor ({@link Multiplex}); a
 * one-topic stream writes the feed's frames as they are.
 */
final class Connection {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final List<Topic> topics;
    private final MultiEmitter<? super Frame> emitter;
    private final HubStats stats;
    /** The connection's event loop, or null outside one (then frames are written at once, in turn). */
    private final Context context;

    private final int limit;
    private final AtomicInteger queued = new AtomicInteger();
    /** Null for a one-topic stream. */
    private final Multiplex multiplex;

    private volatile long lifetimeTimer = -1;
    private volatile boolean closed;

    Connection(
            List<Topic> topics,
            Multiplex multiplex,
            MultiEmitter<? super Frame> emitter,
            HubStats stats,
            Context context,
            int limit) {
        this.topics = topics;
        this.multiplex = multiplex;
        this.emitter = emitter;
        this.stats = stats;
        this.context = context;
        this.limit = limit;
    }

    List<Topic> topics() {
        return topics;
    }

    long lifetimeTimer() {
        return lifetimeTimer;
    }

    void lifetimeTimer(long timerId) {
        this.lifetimeTimer = timerId;
    }

    /** Whether the stream ended (any way) or was closed. */
    boolean cancelled() {
        return closed || emitter.isCancelled();
    }

    /** The stream ended: nothing is attached to it from now on. */
    void markClosed() {
        closed = true;
    }

    /** A frame of the stream itself (retry, heartbeat). */
    void send(Frame frame) {
        deliver(-1, frame);
    }

    /** A frame of topic {@code slot} (its index in {@link #topics()}), or of the stream itself for -1. */
    void deliver(int slot, Frame frame) {
        if (emitter.isCancelled()) {
            return;
        }
        if (context == null || (Vertx.currentContext() == context && queued.get() == 0)) {
            write(slot, frame);
        } else if (queued.incrementAndGet() > limit) {
            // Its event loop is this far behind: as for a slow reader, end it; it resumes elsewhere.
            emitter.fail(new BackPressureFailure("stream fell " + limit + " frames behind on its event loop"));
        } else {
            context.runOnContext(ignored -> {
                write(slot, frame);
                queued.decrementAndGet();
            });
        }
    }

    private void write(int slot, Frame frame) {
        if (emitter.isCancelled()) {
            return;
        }
        if (multiplex == null || slot < 0) {
            emit(frame);
        } else if (context == null) {
            synchronized (this) { // no event loop to serialise on (tests): the cursor needs one writer
                multiplex.accept(slot, frame).forEach(this::emit);
            }
        } else {
            multiplex.accept(slot, frame).forEach(this::emit);
        }
    }

    private void emit(Frame frame) {
        emitter.emit(frame);
        if (frame.data() != null) {
            stats.delivered.increment();
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
        return "connection " + id + " on " + (topics.size() == 1 ? topics.get(0) : topics.size() + " topics");
    }
}
