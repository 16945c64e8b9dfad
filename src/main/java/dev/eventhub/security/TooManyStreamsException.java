package dev.eventhub.security;

/** This instance holds {@code realtime.stream.max-open} streams already: 503 with a jittered {@code Retry-After}. */
public class TooManyStreamsException extends RuntimeException {

    private final long retryAfterSeconds;

    public TooManyStreamsException(long retryAfterSeconds) {
        super(
                "This instance has as many open streams as it allows; retry after the time in Retry-After.",
                null,
                false,
                false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
