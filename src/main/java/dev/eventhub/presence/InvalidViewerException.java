package dev.eventhub.presence;

/** A viewer id or display data that cannot be used; the kind decides the status (400 or 413). */
public class InvalidViewerException extends RuntimeException {

    public enum Kind {
        /** Not 1 to 128 letters, digits, {@code -}, {@code _}, {@code .}: 400. */
        INVALID_ID,
        /** Display data (a body) over {@code realtime.presence.max-display-bytes}: 413. */
        DISPLAY_TOO_LARGE,
        /** Display data in query parameters over the limit: 400. */
        INVALID_DISPLAY
    }

    private final Kind kind;

    public InvalidViewerException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
