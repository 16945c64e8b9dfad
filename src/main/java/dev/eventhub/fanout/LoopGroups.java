package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A feed's live subscribers, grouped by the event loop their connection writes on, so that an event
 * reaches each event loop once: ONE post to that loop's {@link LoopOutbox} carries the frame to all
 * of the loop's streams, instead of one task per stream. Nothing is written here: each loop writes
 * in a task of its own. Touched on its feed's context only (its size is also read as a gauge).
 */
final class LoopGroups {

    /** Subscribers by their connection's loop; the null key holds those with none (tests). */
    private final Map<LoopOutbox, Set<Subscriber>> groups = new HashMap<>();

    private volatile int size;

    void add(Subscriber subscriber) {
        if (groups.computeIfAbsent(subscriber.connection().outbox(), c -> new LinkedHashSet<>())
                .add(subscriber)) {
            size++;
        }
    }

    void remove(Subscriber subscriber) {
        LoopOutbox outbox = subscriber.connection().outbox();
        Set<Subscriber> group = groups.get(outbox);
        if (group != null && group.remove(subscriber)) {
            size--;
            if (group.isEmpty()) {
                groups.remove(outbox);
            }
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Hands {@code frame} to every subscriber: counted against each one's bounds, one post per loop. */
    void dispatch(Frame frame) {
        // Copies: a stream cut while it is handed a frame leaves its group.
        for (Map.Entry<LoopOutbox, Set<Subscriber>> entry : new ArrayList<>(groups.entrySet())) {
            LoopOutbox outbox = entry.getKey();
            if (outbox == null) {
                new ArrayList<>(entry.getValue()).forEach(subscriber -> subscriber.send(frame));
                continue;
            }
            List<Subscriber> taken = new ArrayList<>(entry.getValue().size());
            for (Subscriber subscriber : entry.getValue()) {
                if (subscriber.connection().hold(frame)) {
                    taken.add(subscriber);
                }
            }
            if (!taken.isEmpty()) {
                outbox.post(frame, taken);
            }
        }
    }
}
