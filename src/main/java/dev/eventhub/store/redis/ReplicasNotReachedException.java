package dev.eventhub.store.redis;

import dev.eventhub.event.EventId;
import dev.eventhub.store.StoreUnavailableException;

/**
 * A publish the primary stored (and announced) but fewer replicas than
 * {@code realtime.publish.min-replicas} acknowledged in time: answered as an outage (503 with
 * {@code Retry-After}), since a failover now could lose it. A retry with the same
 * {@code Idempotency-Key} does not store it twice.
 */
public final class ReplicasNotReachedException extends StoreUnavailableException {

    public ReplicasNotReachedException(EventId id, int replicas, int required) {
        super(
                "event " + id + " is stored on the primary but only " + replicas + " of " + required
                        + " required replicas acknowledged it in time",
                null);
    }
}
