package dev.eventhub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PublishRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aKeyMayBurstThenIsHeldToItsRateWithARetryAfter() {
        PublishRateLimiter limiter = new PublishRateLimiter(1, 2, 3, nanos::get);
        for (int i = 0; i < 3; i++) {
            limiter.acquire(0);
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> limiter.acquire(0));
        assertEquals(1, refused.retryAfterSeconds(), "one token comes back in half a second: rounded up to 1 s");
        nanos.addAndGet(500_000_000L);
        limiter.acquire(0);
        assertThrows(RateLimitedException.class, () -> limiter.acquire(0));
    }

    @Test
    void aSlowRateAsksForALongerWait() {
        PublishRateLimiter limiter = new PublishRateLimiter(1, 0.1, 1, nanos::get);
        limiter.acquire(0);
        assertEquals(
                10,
                assertThrows(RateLimitedException.class, () -> limiter.acquire(0))
                        .retryAfterSeconds());
    }

    @Test
    void theBucketRefillsOnlyUpToTheBurst() {
        PublishRateLimiter limiter = new PublishRateLimiter(1, 100, 2, nanos::get);
        nanos.addAndGet(3_600_000_000_000L); // an hour idle
        limiter.acquire(0);
        limiter.acquire(0);
        assertThrows(RateLimitedException.class, () -> limiter.acquire(0));
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        PublishRateLimiter limiter = new PublishRateLimiter(2, 1, 1, nanos::get);
        limiter.acquire(0);
        assertThrows(RateLimitedException.class, () -> limiter.acquire(0));
        limiter.acquire(1);
    }
}
