package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.topic.Topic;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

class MemoryFanoutTest extends FanoutContract {

    @Override
    protected EventStore createStore(Vertx vertx) {
        return new MemoryEventStore(SIZE, Duration.ofHours(1), Duration.ofHours(24), Clock.systemUTC());
    }

    @Override
    protected void setState(Topic topic, EventId head, List<StoredEvent> events) {
        ((MemoryEventStore) store).restore(topic, head, events);
    }

    @Override
    protected void wire(EventStore store, Fanout fanout) {
        ((MemoryEventStore) store).onAppend(fanout);
    }
}
