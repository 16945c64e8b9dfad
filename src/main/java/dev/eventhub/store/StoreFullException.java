package dev.eventhub.store;

/**
 * The in-memory store holds as many topics as it may ({@code realtime.memory.max-topics}) and none
 * can make room: a write that needs a new topic is refused with 503 and {@code Retry-After}, as a
 * Redis with {@code maxmemory-policy noeviction} refuses writes when full. Topics it holds already
 * are never refused.
 */
public final class StoreFullException extends RuntimeException {

    private final long retryAfterSeconds;

    public StoreFullException(int maxTopics, long retryAfterSeconds) {
        super("the in-memory store holds its limit of " + maxTopics
                + " topics (realtime.memory.max-topics) and none has expired");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds until the least recently written topic's log expires and makes room (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
