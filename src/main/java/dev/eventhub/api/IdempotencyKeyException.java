package dev.eventhub.api;

/** An {@code Idempotency-Key} the hub cannot honour; the kind decides the status (400 or 422). */
public class IdempotencyKeyException extends RuntimeException {

    public enum Kind {
        /** Not a key: empty, too long, a character that is not visible ASCII, or sent twice: 400. */
        INVALID,
        /** The key was used on this topic with another body within the TTL: 422. */
        REUSED
    }

    private final Kind kind;

    public IdempotencyKeyException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
