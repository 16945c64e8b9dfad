package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A feed's live subscribers, grouped by the event loop their connection writes on, so that an event
 * reaches each event loop once: ONE task carries the frame to all of that loop's streams, instead
 * of one task per stream. Guarded by its feed's lock.
 */
final class LoopGroups {

    /** Subscribers by their connection's event loop; the null key holds those with none (tests). */
    private final Map<Context, Set<Subscriber>> groups = new HashMap<>();

    private volatile int size;

    void add(Subscriber subscriber) {
        if (groups.computeIfAbsent(subscriber.connection().context(), c -> new LinkedHashSet<>())
                .add(subscriber)) {
            size++;
        }
    }

    void remove(Subscriber subscriber) {
        Context context = subscriber.connection().context();
        Set<Subscriber> group = groups.get(context);
        if (group != null && group.remove(subscriber)) {
            size--;
            if (group.isEmpty()) {
                groups.remove(context);
            }
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Hands {@code frame} to every subscriber: at once on this loop and where there is none, else one task per loop. */
    void dispatch(Frame frame) {
        Context here = Vertx.currentContext();
        // Copies: a stream cut while it is handed a frame leaves its group at once.
        for (Map.Entry<Context, Set<Subscriber>> entry : new ArrayList<>(groups.entrySet())) {
            Context context = entry.getKey();
            if (context == null || context == here) {
                new ArrayList<>(entry.getValue()).forEach(subscriber -> subscriber.send(frame));
                continue;
            }
            List<Subscriber> taken = new ArrayList<>(entry.getValue().size());
            for (Subscriber subscriber : entry.getValue()) {
                if (subscriber.connection().reserve(frame)) {
                    taken.add(subscriber);
                }
            }
            if (!taken.isEmpty()) {
                context.runOnContext(ignored -> {
                    for (Subscriber subscriber : taken) {
                        subscriber.connection().writeReserved(subscriber.slot(), frame);
                    }
                });
            }
        }
    }
}
