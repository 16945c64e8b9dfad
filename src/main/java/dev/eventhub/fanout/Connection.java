package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
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
 * its lifecycle. Frames are written on the connection's own event loop: a feed on another thread
 * only queues a task (one per event loop for all its streams there, {@link LoopGroups}). Tasks run
 * in order, so a topic's frames keep their order.
 *
 * <p>The slow-consumer cut is here and only here: a frame counts from the moment it is handed over
 * until the response writer takes it; a stream holding more than {@code buffer-bytes} (or
 * {@code buffer-size} frames) is ended, and so is one holding more than a sixteenth of that while
 * all streams together hold {@code total-buffer-bytes}; its browser resumes from its last id.
 *
 * <p>A multiplexed stream rewrites each frame's {@code id:} to its cursor ({@link Multiplex}); a
 * one-topic stream writes the feed's frames as they are.
 */
final class Connection {

    /** The bounds of one stream, and the budget all streams share. */
    record Limits(int frames, long bytes, BufferBudget all) {
        static final Limits NONE = new Limits(Integer.MAX_VALUE, Long.MAX_VALUE, new BufferBudget(Long.MAX_VALUE));
    }

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final List<Topic> topics;
    private final HubStats stats;
    /** The connection's event loop, or null outside one (then frames are written at once, in turn). */
    private final Context context;

    private final Limits limits;
    /** Tasks queued on the event loop and not yet run: while any is, nothing is written directly. */
    private final AtomicInteger onLoop = new AtomicInteger();

    private final AtomicInteger heldFrames = new AtomicInteger();
    private final AtomicLong heldBytes = new AtomicLong();
    /** Null for a one-topic stream. */
    private final Multiplex multiplex;

    private volatile MultiEmitter<? super Frame> emitter;
    private volatile long lifetimeTimer = -1;
    private volatile boolean closed;

    Connection(List<Topic> topics, Multiplex multiplex, HubStats stats, Context context, Limits limits) {
        this.topics = topics;
        this.multiplex = multiplex;
        this.stats = stats;
        this.context = context;
        this.limits = limits;
    }

    /** A connection already bound to {@code emitter}. */
    Connection(
            List<Topic> topics,
            Multiplex multiplex,
            MultiEmitter<? super Frame> emitter,
            HubStats stats,
            Context context,
            Limits limits) {
        this(topics, multiplex, stats, context, limits);
        bind(emitter);
    }

    void bind(MultiEmitter<? super Frame> emitter) {
        this.emitter = emitter;
    }

    List<Topic> topics() {
        return topics;
    }

    Context context() {
        return context;
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

    /** The stream ended: nothing is attached to it from now on, and what it held is given back. */
    void markClosed() {
        closed = true;
        limits.all().give(heldBytes.getAndSet(0));
        heldFrames.set(0);
    }

    /** A frame of the stream itself (retry, heartbeat). */
    void send(Frame frame) {
        deliver(-1, frame);
    }

    /** A frame of topic {@code slot} (its index in {@link #topics()}), or of the stream itself for -1. */
    void deliver(int slot, Frame frame) {
        if (context == null || (Vertx.currentContext() == context && onLoop.get() == 0)) {
            if (hold(frame)) {
                write(slot, frame);
            }
        } else if (reserve(frame)) {
            context.runOnContext(ignored -> writeReserved(slot, frame));
        }
    }

    /** Counts {@code frame} against the bounds and as queued on the loop; false when the stream was cut. */
    boolean reserve(Frame frame) {
        if (!hold(frame)) {
            return false;
        }
        onLoop.incrementAndGet();
        return true;
    }

    /** Writes a frame {@link #reserve}d before, on the connection's event loop. */
    void writeReserved(int slot, Frame frame) {
        write(slot, frame);
        onLoop.decrementAndGet();
    }

    /** The response writer took {@code frame}: it no longer counts. */
    void taken(Frame frame) {
        if (!closed) {
            long size = frame.size();
            heldBytes.addAndGet(-size);
            heldFrames.decrementAndGet();
            limits.all().give(size);
        }
    }

    /** The one slow-consumer check. */
    private boolean hold(Frame frame) {
        if (cancelled()) {
            return false;
        }
        long size = frame.size();
        int frames = heldFrames.incrementAndGet();
        long bytes = heldBytes.addAndGet(size);
        String why = null;
        if (frames > limits.frames()) {
            why = frames + " frames";
        } else if (bytes > limits.bytes()) {
            why = bytes + " bytes";
        } else if (!limits.all().take(size)) {
            // Past what all streams may hold: those holding a real backlog (a sixteenth of their own
            // bound) go, a reader that keeps up passes (its frame counts anyway).
            if (bytes - size > limits.bytes() / 16) {
                why = bytes + " bytes while all streams hold " + limits.all().held();
            } else {
                limits.all().add(size);
            }
        }
        if (why == null) {
            return true;
        }
        heldFrames.decrementAndGet();
        heldBytes.addAndGet(-size);
        cut(why);
        return false;
    }

    private void cut(String why) {
        if (closed) {
            return;
        }
        Log.debugf("%s is too far behind (%s): ending it, its browser resumes", this, why);
        Runnable fail = () -> emitter.fail(new BackPressureFailure("stream fell behind: " + why));
        if (context == null || Vertx.currentContext() == context) {
            fail.run();
        } else {
            context.runOnContext(ignored -> fail.run());
        }
    }

    /** Writes a held frame; a multiplexed stream's frames count as what it writes for them instead. */
    private void write(int slot, Frame frame) {
        if (emitter.isCancelled()) {
            return;
        }
        if (multiplex == null || slot < 0) {
            emit(frame);
        } else if (context == null) {
            synchronized (this) { // no event loop to serialise on (tests): the cursor needs one writer
                multiplexed(slot, frame);
            }
        } else {
            multiplexed(slot, frame);
        }
    }

    private void multiplexed(int slot, Frame frame) {
        List<Frame> out = multiplex.accept(slot, frame);
        long delta = -frame.size();
        for (Frame f : out) {
            delta += f.size();
        }
        heldFrames.addAndGet(out.size() - 1);
        heldBytes.addAndGet(delta);
        if (delta > 0) {
            limits.all().add(delta); // written frames always count, even past the bound: the next one is cut
        } else {
            limits.all().give(-delta);
        }
        out.forEach(this::emit);
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
