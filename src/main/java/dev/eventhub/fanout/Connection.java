package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open stream (one HTTP response), of one topic or of several. Its topics' feeds hand it their
 * frames through a {@link Subscriber} each; the stream's own frames (retry, heartbeat) come from
 * its lifecycle. Frames reach the connection's event loop through that loop's {@link LoopOutbox}
 * and wait in its queue, which only that loop touches; {@link #flush} writes everything queued as
 * one write to its {@link StreamOutput}, and only while the output takes writes (the socket's own
 * buffer is below its high-water mark), so what a slow reader is owed stays here, counted.
 *
 * <p>The slow-consumer cut is here and only here: a frame counts from the moment it is handed over
 * until it is written; a stream holding more than {@code buffer-bytes} (or {@code buffer-size}
 * frames) is ended, and so is one holding more than a sixteenth of that while all streams together
 * hold {@code total-buffer-bytes}; its browser resumes from its last id. Over all streams a frame's
 * bytes count once however many streams hold it (they share them), plus {@link #ENTRY} per stream.
 *
 * <p>A multiplexed stream rewrites each frame's {@code id:} to its cursor ({@link Multiplex}); a
 * one-topic stream writes the feed's frames as they are.
 */
final class Connection {

    /** The bounds of one stream, and the budget all streams share. */
    record Limits(int frames, long bytes, BufferBudget all) {
        static final Limits NONE = new Limits(Integer.MAX_VALUE, Long.MAX_VALUE, new BufferBudget(Long.MAX_VALUE));
    }

    /** What one queued reference to a (shared) frame costs beside the frame: the queue's slot. */
    static final int ENTRY = 32;

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final List<Topic> topics;
    private final HubStats stats;
    /** The connection's event loop, or null outside one (then frames are written at once, in turn). */
    private final Context context;
    /** Null without an event loop. */
    private final LoopOutbox outbox;

    private final Limits limits;
    private final AtomicInteger heldFrames = new AtomicInteger();
    private final AtomicLong heldBytes = new AtomicLong();
    /** Null for a one-topic stream. */
    private final Multiplex multiplex;

    /** Frames counted and on this loop, not written yet; touched by the loop only. */
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    /** Whether the running outbox task will flush this connection; touched by the loop only. */
    private boolean flushDue;

    private volatile StreamOutput output;
    private volatile long lifetimeTimer = -1;
    private volatile boolean closed;
    private volatile boolean ending;

    Connection(
            List<Topic> topics,
            Multiplex multiplex,
            HubStats stats,
            Context context,
            LoopOutbox outbox,
            Limits limits) {
        this.topics = topics;
        this.multiplex = multiplex;
        this.stats = stats;
        this.context = context;
        this.outbox = context == null ? null : outbox;
        this.limits = limits;
    }

    /** Writes to a stream of frame objects, as its subscriber requests them. */
    void bind(MultiEmitter<? super Frame> emitter) {
        EmitterOutput out = new EmitterOutput(emitter);
        this.output = out;
        out.onWritable(this::writable);
    }

    /** Writes to {@code response}; {@code lifecycle} (the resource's item-less stream) completes at the end. */
    void bind(HttpServerResponse response, MultiEmitter<?> lifecycle) {
        ResponseOutput out = new ResponseOutput(response, lifecycle);
        this.output = out;
        out.onWritable(this::writable);
    }

    List<Topic> topics() {
        return topics;
    }

    /** The loop that writes this connection, or null (tests). */
    LoopOutbox outbox() {
        return outbox;
    }

    long lifetimeTimer() {
        return lifetimeTimer;
    }

    void lifetimeTimer(long timerId) {
        this.lifetimeTimer = timerId;
    }

    /** Whether the stream ended (any way) or was closed. */
    boolean cancelled() {
        return closed || output.ended();
    }

    /** The stream ended: nothing is attached to it from now on, and what it held is given back. */
    void markClosed() {
        closed = true;
        onLoop(this::dropQueue);
    }

    /** A frame of the stream itself (retry, heartbeat). */
    void send(Frame frame) {
        deliver(-1, frame);
    }

    /** A frame of topic {@code slot} (its index in {@link #topics()}), or of the stream itself for -1. */
    void deliver(int slot, Frame frame) {
        if (!hold(frame)) {
            return;
        }
        if (outbox == null) {
            synchronized (this) {
                queue(slot, frame);
                flush();
            }
        } else {
            outbox.post(this, slot, frame);
        }
    }

    /**
     * Counts {@code frame} against the bounds, before it is posted to the loop; false when the
     * stream was cut (or had ended).
     */
    boolean hold(Frame frame) {
        if (cancelled()) {
            return false;
        }
        long size = frame.size();
        int frames = heldFrames.incrementAndGet();
        long bytes = heldBytes.addAndGet(size);
        long shared = ENTRY + frame.queued();
        String why = null;
        if (frames > limits.frames()) {
            why = frames + " frames";
        } else if (bytes > limits.bytes()) {
            why = bytes + " bytes";
        } else if (!limits.all().take(shared)) {
            // Past what all streams may hold: those holding a real backlog (a sixteenth of their own
            // bound) go, a reader that keeps up passes (its frame counts anyway).
            if (bytes - size > limits.bytes() / 16) {
                why = bytes + " bytes while all streams hold " + limits.all().held();
            } else {
                limits.all().add(shared);
            }
        }
        if (why == null) {
            return true;
        }
        heldFrames.decrementAndGet();
        heldBytes.addAndGet(-size);
        frame.dequeued();
        cut(why);
        return false;
    }

    /** A frame no longer held (written, or dropped): it stops counting. */
    private void release(Frame frame) {
        heldFrames.decrementAndGet();
        heldBytes.addAndGet(-frame.size());
        limits.all().give(ENTRY + frame.dequeued());
    }

    /**
     * On the loop: queues a {@link #hold held} frame (rewritten to the stream's cursor when it is
     * multiplexed). True when the caller must {@link #flush} this connection once it has queued all.
     */
    boolean queue(int slot, Frame frame) {
        if (frame == null) {
            ending = true; // the end marker, behind every frame handed over before it
        } else if (closed) {
            release(frame);
            return false;
        } else if (multiplex == null || slot < 0) {
            queue.addLast(frame);
        } else {
            for (Frame rewritten : multiplex.accept(slot, frame)) {
                forceHold(rewritten); // written frames always count, even past the bound: the next one is cut
                queue.addLast(rewritten);
            }
            release(frame);
        }
        if (flushDue) {
            return false;
        }
        flushDue = true;
        return true;
    }

    private void forceHold(Frame frame) {
        heldFrames.incrementAndGet();
        heldBytes.addAndGet(frame.size());
        limits.all().add(ENTRY + frame.queued());
    }

    /** On the loop: writes what is queued, in one write, while the output takes it; ends when asked to. */
    void flush() {
        flushDue = false;
        StreamOutput out = output;
        if (closed || out.ended()) {
            dropQueue();
            return;
        }
        long capacity = out.capacity();
        if (!queue.isEmpty() && capacity > 0) {
            List<Frame> batch = new ArrayList<>((int) Math.min(queue.size(), capacity));
            while (!queue.isEmpty() && batch.size() < capacity) {
                batch.add(queue.pollFirst());
            }
            out.write(batch);
            for (Frame frame : batch) {
                release(frame);
                if (frame.data() != null) {
                    stats.delivered.increment();
                }
            }
            stats.writes.increment();
        }
        if (ending && (queue.isEmpty() || out.capacity() == 0)) {
            // A reader that is behind when its stream ends (lifetime, drain) does not hold the end
            // up: what it was owed is dropped, and its browser resumes from its last id.
            dropQueue();
            out.end();
        }
    }

    /** Flushes on the loop (the output takes writes again). */
    void writable() {
        onLoop(() -> {
            if (!flushDue) {
                flush();
            }
        });
    }

    private void dropQueue() {
        Frame frame;
        while ((frame = queue.pollFirst()) != null) {
            release(frame);
        }
    }

    private void cut(String why) {
        if (closed) {
            return;
        }
        Log.debugf("%s is too far behind (%s): ending it, its browser resumes", this, why);
        // Never at once on a loop: the caller may be a feed in the middle of handing frames over.
        Runnable end = () -> {
            if (!closed) {
                stats.slowConsumerDisconnects.increment();
                Log.infof("Closed a stream on %s: its reader fell too far behind", topics);
                dropQueue();
                output.cut(why);
            }
        };
        if (context == null) {
            synchronized (this) {
                end.run();
            }
        } else {
            context.runOnContext(ignored -> end.run());
        }
    }

    /** Ends the stream normally, after the frames already handed to it; the client reconnects after its retry delay. */
    void end() {
        if (outbox == null) {
            synchronized (this) {
                ending = true;
                flush();
            }
        } else {
            // Through the outbox, behind the frames posted before: they are written first.
            outbox.post(this, -1, null);
        }
    }

    /** Runs {@code task} on the connection's loop (at once when already there), or under its lock without one. */
    private void onLoop(Runnable task) {
        if (context == null) {
            synchronized (this) {
                task.run();
            }
        } else if (Vertx.currentContext() != null && Vertx.currentContext().equals(context)) {
            task.run();
        } else {
            context.runOnContext(ignored -> task.run());
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " on " + (topics.size() == 1 ? topics.get(0) : topics.size() + " topics");
    }
}
