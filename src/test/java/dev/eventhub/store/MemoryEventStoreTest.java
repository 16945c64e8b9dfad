package dev.eventhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.support.MutableClock;
import dev.eventhub.topic.Topic;
import java.time.Duration;
import java.util.List;
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

    @Test
    void aNewTopicBeyondMaxTopicsEvictsTheLeastRecentlyWrittenTopicWhoseLogHasExpired() {
        MemoryEventStore bounded = new MemoryEventStore(SIZE, TTL, HEAD_TTL, 2, clock);
        Topic first = written(bounded);
        Topic second = written(bounded);
        clock.advance(TTL.minusMinutes(1));
        bounded.appendNow(first, "{}"); // first is now the most recently written
        clock.advance(Duration.ofMinutes(1)); // second's log has expired, first's has not

        bounded.appendNow(newTopic(), "{}");

        assertEquals(2, bounded.topicCount());
        assertEquals(EventId.START, bounded.head(second), "the evicted topic has no head: a stream on it resyncs");
        assertEquals(2, bounded.head(first).sequence());
    }

    @Test
    void aNewTopicBeyondMaxTopicsIsRefusedWhileEveryLogIsLiveAndHeldTopicsStillTakeEvents() {
        MemoryEventStore bounded = new MemoryEventStore(SIZE, TTL, HEAD_TTL, 2, clock);
        Topic first = written(bounded);
        clock.advance(Duration.ofMinutes(10));
        Topic second = written(bounded);

        StoreFullException full = assertThrows(StoreFullException.class, () -> bounded.appendNow(newTopic(), "{}"));

        assertEquals(50 * 60, full.retryAfterSeconds(), "until the least recently written log expires");
        assertEquals(2, bounded.topicCount());
        assertEquals(2, bounded.appendNow(first, "{}").sequence());
        assertEquals(2, bounded.appendNow(second, "{}").sequence());
    }

    @Test
    void aTopicWhoseHeadExpiredMakesRoomAndARestoredOneCountsToo() {
        MemoryEventStore bounded = new MemoryEventStore(SIZE, TTL, HEAD_TTL, 1, clock);
        Topic old = newTopic();
        bounded.restore(old, new EventId("e1", 3), List.of(new StoredEvent(new EventId("e1", 3), "{}")));
        assertThrows(StoreFullException.class, () -> bounded.appendNow(newTopic(), "{}"));
        clock.advance(HEAD_TTL);
        Topic fresh = newTopic();
        assertEquals(1, bounded.appendNow(fresh, "{}").sequence());
        assertEquals(1, bounded.topicCount());
    }

    @Test
    void aLogIsEmptyAtItsTtlAndTheSweepFreesItsEventsButKeepsItsHead() {
        Topic topic = newTopic();
        EventId head = store.appendNow(topic, "{}");
        clock.advance(TTL);
        store.sweep();
        LogSlice slice = store.readAfter(topic, null).await().indefinitely();
        assertTrue(slice.events().isEmpty());
        assertEquals(head, slice.head());
        assertEquals(1, store.topicCount());
    }

    /** A new topic with one event in {@code store}. */
    private static Topic written(MemoryEventStore store) {
        Topic topic = newTopic();
        store.appendNow(topic, "{}");
        return topic;
    }
}
