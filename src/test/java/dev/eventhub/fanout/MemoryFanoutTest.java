package dev.eventhub.fanout;

import dev.eventhub.store.EventStore;
import dev.eventhub.store.memory.MemoryEventStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;

class MemoryFanoutTest extends FanoutContract {

    @Override
    protected EventStore createStore(Vertx vertx) {
        return new MemoryEventStore(SIZE, Duration.ofHours(1), Duration.ofHours(24), Clock.systemUTC());
    }

    @Override
    protected void wire(EventStore store, Fanout fanout) {
        ((MemoryEventStore) store).onAppend(fanout);
    }
}
