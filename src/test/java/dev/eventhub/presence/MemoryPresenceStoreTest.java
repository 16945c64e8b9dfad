package dev.eventhub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.presence.memory.MemoryPresenceStore;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.support.MutableClock;
import dev.eventhub.topic.Topic;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryPresenceStoreTest extends PresenceStoreContract {

    private final MutableClock clock = new MutableClock();
    private MemoryEventStore log;
    private MemoryPresenceStore store;

    @BeforeEach
    void createStore() {
        log = new MemoryEventStore(100, Duration.ofHours(1), Duration.ofHours(24), clock);
        store = new MemoryPresenceStore(log, TTL, SNAPSHOT_LIMIT, clock);
    }

    @Override
    protected PresenceStore store() {
        return store;
    }

    @Override
    protected EventStore log() {
        return log;
    }

    @Override
    protected void pass(Duration duration) {
        clock.advance(duration);
    }

    @Test
    void anEntityNobodyIsPresentOnIsDroppedSoMemoryStaysBounded() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("ann", "Ann"));
        assertEquals(1, store.entityCount());
        release("i-a", topic, Viewer.bare("ann"));
        assertEquals(0, store.entityCount());
        snapshot(newEntity());
        assertEquals(0, store.entityCount(), "reading an empty entity keeps nothing");
    }
}
