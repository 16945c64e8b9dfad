package dev.eventhub.store;

/** The store could not be reached or did not answer: an outage, answered with 503 and Retry-After. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
