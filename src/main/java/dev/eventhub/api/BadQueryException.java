package dev.eventhub.api;

/** A query parameter that is malformed: 400. */
public class BadQueryException extends RuntimeException {

    public BadQueryException(String message) {
        super(message, null, false, false);
    }
}
