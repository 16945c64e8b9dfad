package dev.eventhub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadGrantTest {

    private static ReadGrant until(Instant end) {
        return new ReadGrant(Optional.of(end), Optional.empty());
    }

    @Test
    void aStreamEndsWithTheExpiredMessageWhenItsTokenExpires() {
        AtomicReference<MultiEmitter<? super String>> upstream = new AtomicReference<>();
        Multi<String> live = Multi.createFrom().<String>emitter(upstream::set);
        AssertSubscriber<String> reader = until(Instant.now().plusMillis(300))
                .endAtExpiry(live, () -> "expired")
                .subscribe()
                .withSubscriber(AssertSubscriber.create(10));
        upstream.get().emit("event");
        reader.awaitCompletion(Duration.ofSeconds(5));
        assertEquals(List.of("event", "expired"), reader.getItems());
        assertEquals(true, upstream.get().isCancelled(), "the upstream subscription is released");
    }

    @Test
    void aStreamThatEndsByItselfFirstGetsNoExpiredMessage() {
        AssertSubscriber<String> reader = until(Instant.now().plusSeconds(60))
                .endAtExpiry(Multi.createFrom().items("a", "b"), () -> "expired")
                .subscribe()
                .withSubscriber(AssertSubscriber.create(10));
        reader.awaitCompletion(Duration.ofSeconds(5));
        assertEquals(List.of("a", "b"), reader.getItems());
    }

    @Test
    void aReadWithoutATokenIsNotBounded() {
        Multi<String> live = Multi.createFrom().items("a");
        assertEquals(live, ReadGrant.UNLIMITED.endAtExpiry(live, () -> "expired"));
    }
}
