package dev.eventhub.security;

/**
 * A token bucket: holds up to {@code burst} tokens, refills at {@code rate} per second, and each
 * request takes one. Time comes from the caller (nanoseconds, e.g. {@link System#nanoTime()}), so
 * tests move it by hand.
 */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long updatedNanos;

    TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.perNano = ratePerSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.updatedNanos = nowNanos;
    }

    /** Takes a token: 0 when there was one, else how many nanoseconds until there is one. */
    synchronized long take(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            updatedNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
    }
}
