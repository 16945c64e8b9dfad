package dev.eventhub.event;

/**
 * One event as the log holds it: its id and the JSON text subscribers receive as {@code data}.
 * The JSON is compact (one line), so it fits one SSE {@code data:} field as it is.
 */
public record StoredEvent(EventId id, String json) {

    /** The log's wire form: the id, one space, the JSON. */
    public String encode() {
        return id + " " + json;
    }

    public static StoredEvent decode(String entry) {
        int space = entry.indexOf(' ');
        if (space < 0) {
            throw new IllegalStateException("log entry without id");
        }
        EventId id = EventId.parse(entry.substring(0, space))
                .orElseThrow(() -> new IllegalStateException("log entry with a malformed id"));
        return new StoredEvent(id, entry.substring(space + 1));
    }
}
