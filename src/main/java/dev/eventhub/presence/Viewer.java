package dev.eventhub.presence;

import dev.eventhub.topic.Topic;

/**
 * A viewer as events and snapshots show it: its id and its JSON object, {@code {"id":...}} plus the
 * display data given ({@code name}, {@code avatarUrl}, ...). Ids follow the entity id rule (1 to 128
 * letters, digits, {@code -}, {@code _}, {@code .}), so they are safe in keys and JSON.
 *
 * @param verified whether the identity and display data come from a trusted source: the app's
 *        server (a presence PUT with a publish key) or a subscriber token whose {@code sub} is this
 *        id. A viewer declared only by a stream's {@code ?viewer=} is not verified, and its display
 *        data never replaces verified display data (see {@link PresenceStore#track})
 */
public record Viewer(String id, String json, boolean verified) {

    public Viewer {
        if (!Topic.isValidId(id)) {
            throw new IllegalArgumentException("invalid viewer id");
        }
    }

    /** A viewer with no display data (for releases, where only the id is used). */
    public static Viewer bare(String id) {
        return new Viewer(id, "{\"id\":\"" + id + "\"}", false);
    }
}
