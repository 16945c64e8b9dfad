package dev.eventhub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eventhub.presence.memory.MemoryPresenceStore;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.StoreFullException;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.support.MutableClock;
import dev.eventhub.topic.Topic;
import java.time.Duration;
import java.util.List;
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

    @Test
    void aViewerJoiningOneEntityMoreThanMaxTopicsIsRefusedBeforeAnythingChanges() {
        MemoryPresenceStore bounded = new MemoryPresenceStore(log, TTL, SNAPSHOT_LIMIT, 2, clock);
        Topic first = newEntity();
        Topic second = newEntity();
        join(bounded, first, viewer("ann", "Ann"));
        join(bounded, second, viewer("ann", "Ann"));
        Topic third = newEntity();

        assertThrows(StoreFullException.class, () -> join(bounded, third, viewer("bob", "Bob")));

        assertEquals(2, bounded.entityCount());
        assertEquals(List.of(), told(third), "no event for a refused join");
        join(bounded, first, viewer("bob", "Bob"));
        assertEquals(List.of("viewer_joined ann 1", "viewer_joined bob 2"), told(first), "held entities still change");
    }

    @Test
    void aChangeWhosePresenceTopicTheLogHasNoRoomForIsRefusedBeforeAnythingChanges() {
        MemoryEventStore fullLog = new MemoryEventStore(100, Duration.ofHours(1), Duration.ofHours(24), 1, clock);
        MemoryPresenceStore presence = new MemoryPresenceStore(fullLog, TTL, SNAPSHOT_LIMIT, clock);
        fullLog.appendNow(newEntity(), "{}");
        Topic entity = newEntity();

        assertThrows(StoreFullException.class, () -> join(presence, entity, viewer("ann", "Ann")));

        assertEquals(0, presence.entityCount());
        assertEquals(0, presence.snapshot(entity).await().atMost(WAIT).count());
    }

    @Test
    void anEntityTheAppTrackedOnceAndNobodyTouchedAgainIsForgottenByTheSweepAfterTwiceTheTtl() {
        Topic topic = newEntity();
        track(PresenceStore.API, topic, viewer("ann", "Ann"));
        pass(TTL.multipliedBy(2).minusMillis(1));
        store.sweep();
        assertEquals(1, store.entityCount(), "kept while its Redis keys would be");
        pass(Duration.ofMillis(1));
        store.sweep();
        assertEquals(0, store.entityCount());
    }

    private static PresenceUpdate join(MemoryPresenceStore store, Topic topic, Viewer viewer) {
        return store.track("i-a", List.of(new Lease(topic, viewer)), List.of())
                .await()
                .atMost(WAIT);
    }
}
