package dev.eventhub.event;

/** A publish body that cannot become an event; the kind decides the status (400 or 422). */
public class InvalidEventException extends RuntimeException {

    public enum Kind {
        /** Not JSON, or not a JSON object: 400. */
        MALFORMED,
        /** No string {@code action}: 400. */
        MISSING_ACTION,
        /** An action the channel does not allow: 422. */
        ACTION_NOT_ALLOWED,
        /** A field the action needs is missing or of the wrong shape: 422. */
        INVALID_FIELD,
        /** A key the hub adds to every event ({@code entityType}, {@code entityId}, {@code channel}, {@code timestamp}): 422. */
        RESERVED_FIELD
    }

    private final Kind kind;

    public InvalidEventException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
