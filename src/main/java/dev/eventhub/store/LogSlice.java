package dev.eventhub.store;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import java.util.List;

/**
 * What a read of one topic's log returned, taken at one instant.
 *
 * @param head the id of the topic's newest event, or {@link EventId#START} when the topic has no head
 * @param events retained events after the requested position, oldest first; for a request from
 *        another epoch (or none), every retained event
 */
public record LogSlice(EventId head, List<StoredEvent> events) {

    public static final LogSlice EMPTY = new LogSlice(EventId.START, List.of());

    /** The oldest sequence in this slice, or {@code head.sequence() + 1} when it holds no events. */
    public long oldestSequence() {
        return events.isEmpty() ? head.sequence() + 1 : events.get(0).id().sequence();
    }
}
