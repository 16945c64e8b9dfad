package dev.eventhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.support.MutableClock;
import dev.eventhub.topic.Topic;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryEventStoreTest extends EventStoreContract {

    private final MutableClock clock = new MutableClock();
    private MemoryEventStore store;

    @BeforeEach
    void createStore() {
        store = new MemoryEventStore(SIZE, TTL, HEAD_TTL, clock);
    }

    @Override
    protected EventStore store() {
        return store;
    }

    @Override
    protected void expireLog(Topic topic) {
        clock.advance(TTL.plusMillis(1));
    }

    @Override
    protected void loseHead(Topic topic) {
        clock.advance(HEAD_TTL.plusMillis(1));
    }

    @Test
    void sweepDropsTopicsWhoseHeadExpiredSoMemoryStaysBounded() {
        for (int i = 0; i < 10; i++) {
            store.append(newTopic(), "{}").await().indefinitely();
        }
        assertEquals(10, store.topicCount());
        clock.advance(Duration.ofHours(1));
        store.sweep();
        assertEquals(10, store.topicCount(), "heads outlive the log TTL");
        clock.advance(HEAD_TTL);
        store.sweep();
        assertEquals(0, store.topicCount());
    }
}
