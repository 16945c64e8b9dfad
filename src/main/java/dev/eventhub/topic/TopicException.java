package dev.eventhub.topic;

/** A topic path that names no topic. The kind decides the HTTP status (404 or 400). */
public class TopicException extends RuntimeException {

    public enum Kind {
        UNKNOWN_TYPE,
        UNKNOWN_CHANNEL,
        INVALID_ID
    }

    private final Kind kind;

    public TopicException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
