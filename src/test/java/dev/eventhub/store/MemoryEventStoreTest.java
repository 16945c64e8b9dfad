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
        store = new MemoryEventStore(SIZE, TTL, HEAD_TTL, IDEMPOTENCY_TTL, 1000, clock);
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

    @Override
    protected void passIdempotencyTtl(Topic topic, String key) {
        clock.advance(IDEMPOTENCY_TTL);
    }

    @Test
    void idempotencyKeysAreBoundedInCountOldestForgottenFirst() {
        MemoryEventStore small = new MemoryEventStore(SIZE, TTL, HEAD_TTL, IDEMPOTENCY_TTL, 3, clock);
        Topic topic = newTopic();
        for (int i = 1; i <= 5; i++) {
            small.append(topic, "{}", IdempotencyKey.of("k" + i, new byte[0]))
                    .await()
                    .indefinitely();
        }
        assertEquals(3, small.idempotencyKeyCount());
        assertEquals(
                Appended.Outcome.STORED,
                small.append(topic, "{}", IdempotencyKey.of("k1", new byte[0]))
                        .await()
                        .indefinitely()
                        .outcome(),
                "the oldest was forgotten");
        assertEquals(
                Appended.Outcome.REPLAYED,
                small.append(topic, "{}", IdempotencyKey.of("k5", new byte[0]))
                        .await()
                        .indefinitely()
                        .outcome());
    }

    @Test
    void sweepForgetsExpiredIdempotencyKeys() {
        store.append(newTopic(), "{}", IdempotencyKey.of("k", new byte[0]))
                .await()
                .indefinitely();
        clock.advance(IDEMPOTENCY_TTL.minusMillis(1));
        store.sweep();
        assertEquals(1, store.idempotencyKeyCount());
        clock.advance(Duration.ofMillis(1));
        store.sweep();
        assertEquals(0, store.idempotencyKeyCount());
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
