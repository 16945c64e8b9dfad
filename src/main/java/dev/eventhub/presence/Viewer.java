package dev.eventhub.presence;

import dev.eventhub.topic.Topic;

/**
 * A viewer as events and snapshots show it: its id and its JSON object, {@code {"id":...}} plus the
 * display data the app gave ({@code name}, {@code avatarUrl}, ...). Ids follow the entity id rule
 * (1 to 128 letters, digits, {@code -}, {@code _}, {@code .}), so they are safe in keys and JSON.
 */
public record Viewer(String id, String json) {

    public Viewer {
        if (!Topic.isValidId(id)) {
            throw new IllegalArgumentException("invalid viewer id");
        }
    }

    /** A viewer with no display data. */
    public static Viewer bare(String id) {
        return new Viewer(id, "{\"id\":\"" + id + "\"}");
    }
}
