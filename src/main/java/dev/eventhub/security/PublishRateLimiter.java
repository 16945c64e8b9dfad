package dev.eventhub.security;

import java.util.function.LongSupplier;

/**
 * The per-key publish rate limit: one {@link TokenBucket} per configured key, so its memory is
 * fixed by the configuration and cannot be grown by clients (unknown keys never reach it).
 */
public final class PublishRateLimiter {

    private final TokenBucket[] buckets;
    private final LongSupplier nanoClock;

    public PublishRateLimiter(int keys, double ratePerSecond, int burst, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.buckets = new TokenBucket[keys];
        long now = nanoClock.getAsLong();
        for (int i = 0; i < keys; i++) {
            buckets[i] = new TokenBucket(ratePerSecond, burst, now);
        }
    }

    /**
     * Counts one write by key {@code keyIndex}.
     *
     * @throws RateLimitedException with the whole seconds to wait (at least 1) when the key is over its rate
     */
    public void acquire(int keyIndex) {
        long waitNanos = buckets[keyIndex].take(nanoClock.getAsLong());
        if (waitNanos > 0) {
            throw new RateLimitedException(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
        }
    }
}
