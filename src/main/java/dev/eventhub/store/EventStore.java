package dev.eventhub.store;

import dev.eventhub.event.EventId;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The message log: per topic, a head (epoch and sequence) and the last {@code realtime.history.size}
 * events, expiring {@code realtime.history.ttl} after the last event. Two implementations, Redis and
 * memory, pass one contract suite ({@code EventStoreContract}).
 *
 * <p>Every method fails with {@link StoreUnavailableException} when the store cannot be reached.
 */
public interface EventStore {

    /**
     * Appends one event as a single atomic operation: next sequence, push, trim, expire. Completes
     * with the new id once the event is in the store.
     */
    Uni<EventId> append(Topic topic, String json);

    /**
     * {@link #append}, once per {@code key} and topic within the store's idempotency TTL
     * ({@code realtime.publish.idempotency-ttl}): when the key was used on {@code topic} before,
     * nothing is stored and the first event's id is answered ({@link Appended.Outcome#REPLAYED}
     * when the body digest is the same, {@link Appended.Outcome#CONFLICT} when it differs). The
     * check and the append are one atomic operation, so it holds across instances and races.
     */
    Uni<Appended> append(Topic topic, String json, IdempotencyKey key);

    /**
     * Reads the head and the retained events after {@code after}, in one atomic operation.
     * With {@code after} null or of another epoch, returns every retained event.
     */
    Uni<LogSlice> readAfter(Topic topic, EventId after);

    /**
     * {@link #readAfter} for many topics in one round trip (a poll whose heads moved on many
     * topics at once); element {@code i} answers {@code topics[i]} after {@code afters[i]}.
     */
    default Uni<List<LogSlice>> readAfter(List<Topic> topics, List<EventId> afters) {
        List<Uni<LogSlice>> reads = new java.util.ArrayList<>(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            reads.add(readAfter(topics.get(i), afters.get(i)));
        }
        return reads.isEmpty()
                ? Uni.createFrom().item(List.of())
                : Uni.join().all(reads).andFailFast();
    }

    /**
     * Reads the heads of many topics in one round trip; an element is {@link EventId#START} where a
     * topic has no head.
     */
    Uni<List<EventId>> heads(List<Topic> topics);

    /**
     * Starts a new epoch for {@code topic} (head {@code <new epoch>-0}, log emptied) if, and only if,
     * its head is still {@code rolledBack}, in one atomic operation. An instance calls it when it
     * finds the head behind events it delivered (the store went back, e.g. a failover to a replica
     * that lagged), so the ids of the lost events are never given to other events. Completes with
     * the head after the call ({@link EventId#START} when there is none).
     */
    Uni<EventId> restartEpoch(Topic topic, EventId rolledBack);

    /** Completes when the store answers; readiness uses it. */
    Uni<Void> ping();

    /** A short description for the startup log, e.g. {@code redis at localhost:6379}. */
    String describe();

    /** Whether events published here reach other instances (false for memory). */
    boolean shared();
}
