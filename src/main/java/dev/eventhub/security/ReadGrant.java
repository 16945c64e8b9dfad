package dev.eventhub.security;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Permission to read a topic, and its limits: a read made with a subscriber token lasts only as
 * long as the token is accepted.
 *
 * @param until when the token that allowed this read stops being accepted; empty for reads that
 *        needed no token (a public topic read without one, or the app's server with a publish key)
 * @param viewer the token's verified {@code sub}
 */
public record ReadGrant(Optional<Instant> until, Optional<String> viewer) {

    /** The last message of a stream whose token expired: the page fetches a new token and reconnects. */
    public static final String TOKEN_EXPIRED = "{\"action\":\"token_expired\"}";

    static final ReadGrant UNLIMITED = new ReadGrant(Optional.empty(), Optional.empty());

    static ReadGrant of(SubscriberToken token) {
        return new ReadGrant(Optional.of(token.acceptedUntil()), token.subject());
    }

    /**
     * Ends {@code stream} when the token stops being accepted, with a last {@link #TOKEN_EXPIRED} data
     * message (no event name, no id, so the browser's last event id stays the last real event and the
     * new connection resumes from it). A stream that ends by itself before then gets no such message.
     */
    public Multi<OutboundSseEvent> endAtExpiry(Multi<OutboundSseEvent> stream, Sse sse) {
        return endAtExpiry(
                stream, () -> sse.newEventBuilder().data(TOKEN_EXPIRED).build());
    }

    /** {@link #endAtExpiry(Multi, Sse)} for any item type. */
    public <T> Multi<T> endAtExpiry(Multi<T> stream, Supplier<T> expired) {
        return endAtExpiryWith(stream, () -> List.of(expired.get()));
    }

    /** As {@link #endAtExpiry(Multi, Supplier)}, ending with several last messages (one per topic). */
    public <T> Multi<T> endAtExpiryWith(Multi<T> stream, Supplier<List<T>> expired) {
        if (until.isEmpty()) {
            return stream;
        }
        Instant end = until.get();
        return Multi.createFrom().deferred(() -> {
            AtomicBoolean endedByItself = new AtomicBoolean();
            AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
            Duration left = Duration.between(Instant.now(), end);
            if (left.compareTo(Duration.ofMillis(1)) < 0) {
                left = Duration.ofMillis(1);
            }
            return stream.onSubscription()
                    .invoke(upstream::set)
                    .onCompletion()
                    .invoke(() -> endedByItself.set(true))
                    .select()
                    .first(left)
                    // At the deadline select().first(Duration) completes downstream but does not cancel
                    // its upstream (Mutiny 3.1): cancel it here, or the connection would stay registered
                    // with the fan-out and keep receiving frames nobody reads.
                    .onCompletion()
                    .invoke(() -> {
                        Flow.Subscription subscription = upstream.get();
                        if (subscription != null) {
                            subscription.cancel();
                        }
                    })
                    .onCompletion()
                    .continueWith(() -> endedByItself.get() ? List.<T>of() : expired.get());
        });
    }
}
