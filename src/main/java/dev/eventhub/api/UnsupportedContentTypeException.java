package dev.eventhub.api;

/** A publish body that is not declared as JSON: 415. */
public class UnsupportedContentTypeException extends RuntimeException {

    public UnsupportedContentTypeException() {
        super("Send the body as JSON with Content-Type: application/json.", null, false, false);
    }
}
