package dev.eventhub.api;

/** A request body over {@code realtime.publish.max-body-bytes}: 413. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(int limit) {
        super("The body is larger than " + limit + " bytes.", null, false, false);
    }
}
