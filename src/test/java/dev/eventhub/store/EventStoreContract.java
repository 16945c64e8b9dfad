package dev.eventhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The store contract, run against every implementation: the same calls must give the same
 * answers from the memory store and from Redis.
 */
public abstract class EventStoreContract {

    protected static final int SIZE = 5;
    protected static final Duration TTL = Duration.ofHours(1);
    protected static final Duration HEAD_TTL = Duration.ofHours(24);
    protected static final Duration IDEMPOTENCY_TTL = Duration.ofHours(2);

    /** The store under test, with {@link #SIZE}, {@link #TTL}, {@link #HEAD_TTL} and {@link #IDEMPOTENCY_TTL}. */
    protected abstract EventStore store();

    /** Makes the topic's log expire as its TTL would, leaving its head. */
    protected abstract void expireLog(Topic topic);

    /** Makes the topic's head disappear (its TTL, a flush or an eviction). */
    protected abstract void loseHead(Topic topic);

    /** Lets {@code key}'s idempotency TTL pass on {@code topic}, as time would. */
    protected abstract void passIdempotencyTtl(Topic topic, String key);

    protected static Topic newTopic() {
        return new Topic(EntityType.TRIP, UUID.randomUUID().toString(), Channel.COMMENTS);
    }

    private EventId append(Topic topic, int n) {
        return store().append(topic, "{\"n\":" + n + "}").await().atMost(Duration.ofSeconds(5));
    }

    private LogSlice readAfter(Topic topic, EventId after) {
        return store().readAfter(topic, after).await().atMost(Duration.ofSeconds(5));
    }

    private static List<String> jsons(LogSlice slice) {
        return slice.events().stream().map(StoredEvent::json).toList();
    }

    @Test
    void appendAssignsConsecutiveSequencesInOneEpoch() {
        Topic topic = newTopic();
        EventId first = append(topic, 1);
        EventId second = append(topic, 2);
        assertEquals(1, first.sequence());
        assertEquals(2, second.sequence());
        assertEquals(first.epoch(), second.epoch());
        assertNotEquals(EventId.NO_EPOCH, first.epoch());
    }

    @Test
    void readAfterReturnsOnlyLaterEventsOldestFirstWithTheHead() {
        Topic topic = newTopic();
        EventId first = append(topic, 1);
        append(topic, 2);
        EventId third = append(topic, 3);
        LogSlice slice = readAfter(topic, first);
        assertEquals(third, slice.head());
        assertEquals(List.of("{\"n\":2}", "{\"n\":3}"), jsons(slice));
        assertEquals(
                List.of(2L, 3L),
                slice.events().stream().map(e -> e.id().sequence()).toList());
    }

    @Test
    void readAfterTheHeadReturnsNoEvents() {
        Topic topic = newTopic();
        EventId only = append(topic, 1);
        LogSlice slice = readAfter(topic, only);
        assertEquals(only, slice.head());
        assertTrue(slice.events().isEmpty());
    }

    @Test
    void readAfterNothingOrAnotherEpochReturnsTheWholeRetainedLog() {
        Topic topic = newTopic();
        append(topic, 1);
        append(topic, 2);
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), jsons(readAfter(topic, null)));
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), jsons(readAfter(topic, new EventId("otherepoch", 1))));
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), jsons(readAfter(topic, EventId.START)));
    }

    @Test
    void unknownTopicHasNoHeadAndNoEvents() {
        LogSlice slice = readAfter(newTopic(), null);
        assertEquals(EventId.START, slice.head());
        assertTrue(slice.events().isEmpty());
    }

    @Test
    void keepsOnlyTheLastSizeEvents() {
        Topic topic = newTopic();
        for (int i = 1; i <= SIZE + 3; i++) {
            append(topic, i);
        }
        LogSlice slice = readAfter(topic, null);
        assertEquals(SIZE + 3, slice.head().sequence());
        assertEquals(SIZE, slice.events().size());
        assertEquals(4, slice.events().get(0).id().sequence(), "the oldest retained is the 4th");
        LogSlice afterTrimmed = readAfter(topic, new EventId(slice.head().epoch(), 1));
        assertEquals(4, afterTrimmed.oldestSequence(), "a reader behind the window sees the gap");
    }

    @Test
    void headsReadsManyTopicsAtOnceWithStartForTopicsWithoutHead() {
        Topic a = newTopic();
        Topic b = newTopic();
        Topic none = newTopic();
        EventId headA = append(a, 1);
        append(b, 1);
        EventId headB = append(b, 2);
        List<EventId> heads = store().heads(List.of(a, none, b)).await().atMost(Duration.ofSeconds(5));
        assertEquals(List.of(headA, EventId.START, headB), heads);
        assertEquals(List.of(), store().heads(List.of()).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void readingManyTopicsAtOnceAnswersLikeOneReadEach() {
        Topic a = newTopic();
        Topic b = newTopic();
        Topic none = newTopic();
        EventId a1 = append(a, 1);
        append(a, 2);
        append(b, 3);
        List<LogSlice> slices = store().readAfter(List.of(a, b, none), java.util.Arrays.asList(a1, null, null))
                .await()
                .atMost(Duration.ofSeconds(5));
        assertEquals(List.of(readAfter(a, a1), readAfter(b, null), readAfter(none, null)), slices);
        assertEquals(List.of("{\"n\":2}"), jsons(slices.get(0)));
    }

    @Test
    void topicsAreIsolated() {
        Topic a = newTopic();
        Topic b = new Topic(a.type(), a.id(), Channel.LIKES);
        append(a, 1);
        assertTrue(readAfter(b, null).events().isEmpty());
        assertEquals(EventId.START, readAfter(b, null).head());
    }

    @Test
    void afterTheLogExpiresTheHeadContinuesTheSequence() {
        Topic topic = newTopic();
        append(topic, 1);
        EventId second = append(topic, 2);
        expireLog(topic);
        LogSlice expired = readAfter(topic, new EventId(second.epoch(), 1));
        assertEquals(second, expired.head());
        assertTrue(expired.events().isEmpty(), "the expired events are gone");
        EventId third = append(topic, 3);
        assertEquals(new EventId(second.epoch(), 3), third, "same epoch, next sequence");
        assertEquals(List.of("{\"n\":3}"), jsons(readAfter(topic, second)));
    }

    @Test
    void aLostHeadStartsANewEpochWithoutTheOldEntries() {
        Topic topic = newTopic();
        EventId old = append(topic, 1);
        append(topic, 2);
        loseHead(topic);
        EventId fresh = append(topic, 3);
        assertNotEquals(old.epoch(), fresh.epoch());
        assertEquals(1, fresh.sequence());
        LogSlice slice = readAfter(topic, null);
        assertEquals(List.of("{\"n\":3}"), jsons(slice), "entries of the old epoch never mix in");
    }

    private Appended append(Topic topic, String key, String body) {
        // The stored JSON differs from the body, as the hub's does (its timestamp): the digest is the body's.
        return store().append(
                        topic,
                        body.replace("}", ",\"at\":" + System.nanoTime() + "}"),
                        IdempotencyKey.of(key, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .await()
                .atMost(Duration.ofSeconds(5));
    }

    @Test
    void theSameIdempotencyKeyAgainAnswersTheFirstIdAndStoresNothing() {
        Topic topic = newTopic();
        Appended first = append(topic, "k-1", "{\"n\":1}");
        Appended retry = append(topic, "k-1", "{\"n\":1}");
        assertEquals(Appended.Outcome.STORED, first.outcome());
        assertEquals(new Appended(first.id(), Appended.Outcome.REPLAYED), retry);
        LogSlice slice = readAfter(topic, null);
        assertEquals(first.id(), slice.head());
        assertEquals(1, slice.events().size(), "stored once");
        Appended next = append(topic, "k-2", "{\"n\":1}");
        assertEquals(new Appended(new EventId(first.id().epoch(), 2), Appended.Outcome.STORED), next);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIsAConflictAndStoresNothing() {
        Topic topic = newTopic();
        Appended first = append(topic, "k-1", "{\"n\":1}");
        assertEquals(new Appended(first.id(), Appended.Outcome.CONFLICT), append(topic, "k-1", "{\"n\":2}"));
        assertEquals(new Appended(first.id(), Appended.Outcome.REPLAYED), append(topic, "k-1", "{\"n\":1}"));
        assertEquals(first.id(), readAfter(topic, null).head());
        assertEquals(1, readAfter(topic, null).events().size());
    }

    @Test
    void anIdempotencyKeyBelongsToOneTopic() {
        Topic a = newTopic();
        Topic b = new Topic(a.type(), a.id(), Channel.LIKES);
        Appended onA = append(a, "shared-key", "{\"n\":1}");
        Appended onB = append(b, "shared-key", "{\"n\":1}");
        assertEquals(Appended.Outcome.STORED, onA.outcome());
        assertEquals(Appended.Outcome.STORED, onB.outcome());
        assertEquals(1, readAfter(a, null).events().size());
        assertEquals(1, readAfter(b, null).events().size());
    }

    @Test
    void anIdempotencyKeyIsForgottenAfterItsTtl() {
        Topic topic = newTopic();
        Appended first = append(topic, "k-1", "{\"n\":1}");
        passIdempotencyTtl(topic, "k-1");
        Appended later = append(topic, "k-1", "{\"n\":2}");
        assertEquals(Appended.Outcome.STORED, later.outcome(), "a new publish, not a conflict");
        assertNotEquals(first.id(), later.id());
        assertEquals(new Appended(later.id(), Appended.Outcome.REPLAYED), append(topic, "k-1", "{\"n\":2}"));
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyStoreOnce() throws Exception {
        Topic topic = newTopic();
        List<Appended> all = inParallel(20, n -> append(topic, "once", "{\"n\":1}"));
        assertEquals(1, all.stream().map(Appended::id).distinct().count(), "every attempt answered the one id");
        assertEquals(
                1,
                all.stream().filter(a -> a.outcome() == Appended.Outcome.STORED).count());
        assertEquals(1, readAfter(topic, null).events().size());
    }

    @Test
    void concurrentAppendsGetDistinctConsecutiveIds() throws Exception {
        Topic topic = newTopic();
        List<EventId> ids = inParallel(50, n -> append(topic, n));
        assertEquals(50, ids.stream().distinct().count());
        assertEquals(50, ids.stream().mapToLong(EventId::sequence).max().orElse(0));
    }

    /** {@code call(0 .. count - 1)} on 4 threads at once; the answers in that order. */
    private static <T> List<T> inParallel(int count, java.util.function.IntFunction<T> call) throws Exception {
        // Own threads, not the common pool: after Quarkus tests its threads carry another class loader.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<T>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> call.apply(n)));
            }
            List<T> answers = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<T> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }
}
