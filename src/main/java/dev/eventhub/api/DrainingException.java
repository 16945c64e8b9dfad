package dev.eventhub.api;

/** A new stream asked of an instance that is shutting down: 503, the client retries elsewhere. */
public class DrainingException extends RuntimeException {

    public DrainingException() {
        super("This instance is shutting down; reconnect shortly.", null, false, false);
    }
}
