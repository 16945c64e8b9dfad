package dev.eventhub.store;

import dev.eventhub.event.EventId;
import dev.eventhub.topic.Topic;

/**
 * Told that an event was appended to a topic, by the memory store directly or by Redis pub/sub.
 * A hint only: the log stays the truth, and a missed call is caught up by polling.
 */
@FunctionalInterface
public interface AppendListener {

    /** @param json the event, or null when only its id was announced */
    void appended(Topic topic, EventId id, String json);
}
