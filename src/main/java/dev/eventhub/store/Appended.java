package dev.eventhub.store;

import dev.eventhub.event.EventId;

/** What an append with an {@link IdempotencyKey} did: stored the event, or answered an earlier one. */
public record Appended(EventId id, Outcome outcome) {

    public enum Outcome {
        /** The key was new: the event is stored under {@link #id()}. */
        STORED,
        /** The key was used before with the same body: nothing stored, {@link #id()} is the first event's. */
        REPLAYED,
        /** The key was used before with another body: nothing stored, {@link #id()} is the first event's. */
        CONFLICT
    }
}
