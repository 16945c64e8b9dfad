package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frames handed to the streams of one event loop, from any thread, written by that loop in
 * ONE task: a feed posts an event once per loop (for all of the loop's streams of its topic), and
 * whatever piled up before the task runs goes out together, so a stream gets everything it was
 * given meanwhile in one write ({@link Connection#flush}). Posting is a lock-free queue offer: a
 * feed hands frames over from its own context without writing to any socket.
 *
 * <p>Frames posted in an order are written in that order: a topic's replay, then its live events.
 */
final class LoopOutbox {

    /** One frame for some streams of this loop, each under its slot. */
    private record Post(Frame frame, List<Subscriber> to, Connection connection, int slot) {}

    private final Context loop;
    private final ConcurrentLinkedQueue<Post> posts = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Streams given frames in the running task, flushed at its end; touched by the loop only. */
    private final List<Connection> touched = new ArrayList<>();

    LoopOutbox(Context loop) {
        this.loop = loop;
    }

    /** {@code frame} for each of {@code subscribers}, already counted against their bounds. */
    void post(Frame frame, List<Subscriber> subscribers) {
        posts.add(new Post(frame, subscribers, null, 0));
        schedule();
    }

    /** {@code frame} for one stream under {@code slot}, already counted against its bounds. */
    void post(Connection connection, int slot, Frame frame) {
        posts.add(new Post(frame, null, connection, slot));
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            loop.runOnContext(ignored -> drain());
        }
    }

    private void drain() {
        scheduled.set(false);
        Post post;
        while ((post = posts.poll()) != null) {
            if (post.to() == null) {
                give(post.connection(), post.slot(), post.frame());
            } else {
                for (Subscriber subscriber : post.to()) {
                    give(subscriber.connection(), subscriber.slot(), post.frame());
                }
            }
        }
        for (Connection connection : touched) {
            connection.flush();
        }
        touched.clear();
    }

    private void give(Connection connection, int slot, Frame frame) {
        if (connection.queue(slot, frame)) {
            touched.add(connection);
        }
    }
}
