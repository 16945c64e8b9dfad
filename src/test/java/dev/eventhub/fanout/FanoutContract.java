package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.EventStore;
import dev.eventhub.support.Await;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fan-out's promises (replay, resync, isolation, cleanup, bounds), against each store. */
public abstract class FanoutContract {

    protected static final int SIZE = 300;
    protected static final Duration POLL = Duration.ofMillis(50);
    protected static final int BUFFER = 64;

    protected Vertx vertx;
    protected EventStore store;
    protected Fanout fanout;

    /** A store with retention {@link #SIZE}, fresh for each test. */
    protected abstract EventStore createStore(Vertx vertx);

    /** Lets the store wake the fan-out the way production wiring does (memory: directly). */
    protected void wire(EventStore store, Fanout fanout) {}

    /**
     * Replaces the topic's head and log in the store in one step, as a flush, a failover or a
     * restore does behind the hub's back ({@link EventId#START}: no head and no log).
     */
    protected abstract void setState(Topic topic, EventId head, List<StoredEvent> events);

    /** The store forgets the topic, as a flush, an eviction or a restart without persistence does. */
    private void loseTopic(Topic topic) {
        setState(topic, EventId.START, List.of());
    }

    /** The store holds a new epoch of {@code n} events instead of the old one; returns its head. */
    private EventId replaceWithNewEpoch(Topic topic, int n) {
        String epoch = EventId.newEpoch();
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            events.add(new StoredEvent(new EventId(epoch, i), "{\"n\":" + (100 + i) + "}"));
        }
        EventId head = new EventId(epoch, n);
        setState(topic, head, events);
        return head;
    }

    /** The store goes back to {@code ids[0..keep]}, as after a failover to a replica that lagged. */
    private void rollBack(Topic topic, List<EventId> ids, int keep) {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < keep; i++) {
            events.add(new StoredEvent(ids.get(i), "{\"n\":" + (i + 1) + "}"));
        }
        setState(topic, ids.get(keep - 1), events);
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        store = createStore(vertx);
        fanout = newFanout(store);
    }

    protected Fanout newFanout(EventStore store) {
        Fanout f = new Fanout(
                store,
                vertx,
                new Fanout.Settings(
                        POLL, POLL, Duration.ofMinutes(5), Duration.ofMillis(1500), BUFFER, SIZE, Duration.ZERO),
                new HubStats());
        wire(store, f);
        f.start();
        return f;
    }

    @AfterEach
    void stop() {
        fanout.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    protected static Topic newTopic() {
        return new Topic(EntityType.TRIP, UUID.randomUUID().toString(), Channel.COMMENTS);
    }

    protected EventId publish(Topic topic, int n) {
        return store.append(topic, "{\"n\":" + n + "}").await().atMost(Duration.ofSeconds(5));
    }

    protected AssertSubscriber<Frame> subscribe(Topic topic, String lastEventId) {
        return fanout.subscribe(topic, lastEventId).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    /** Frames as text, e.g. {@code id=ab-1 data={"n":1}}; comments and retry are left out. */
    protected static List<String> messages(AssertSubscriber<Frame> sub) {
        return sub.getItems().stream()
                .filter(f -> f.data() != null)
                .map(f -> "id=" + f.id() + " data=" + f.data())
                .toList();
    }

    protected static List<Integer> numbers(AssertSubscriber<Frame> sub) {
        return sub.getItems().stream()
                .filter(f -> f.data() != null && f.data().startsWith("{\"n\":"))
                .map(f -> Integer.parseInt(f.data().substring(5, f.data().length() - 1)))
                .toList();
    }

    private static Frame awaitFrame(AssertSubscriber<Frame> sub, int index) {
        Await.until("frame " + index, () -> sub.getItems().size() > index);
        return sub.getItems().get(index);
    }

    @Test
    void aNewStreamOpensWithRetryThenLearnsItsPosition() {
        Topic topic = newTopic();
        EventId head = publish(topic, 1);
        AssertSubscriber<Frame> sub = subscribe(topic, null);
        Frame open = awaitFrame(sub, 0);
        assertEquals(1500, open.retryMillis());
        assertNull(open.data());
        Frame position = awaitFrame(sub, 1);
        assertEquals(head.toString(), position.id());
        assertNull(position.data(), "a position frame fires no message");
    }

    @Test
    void liveEventsReachEverySubscriberOnceAndInOrder() {
        Topic topic = newTopic();
        AssertSubscriber<Frame> a = subscribe(topic, null);
        AssertSubscriber<Frame> b = subscribe(topic, null);
        Await.until("both live", () -> fanout.liveSubscribers(topic) == 2);
        for (int i = 1; i <= 20; i++) {
            publish(topic, i);
        }
        List<Integer> expected =
                java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList();
        Await.until("a got 20", () -> numbers(a).size() >= 20);
        Await.until("b got 20", () -> numbers(b).size() >= 20);
        assertEquals(expected, numbers(a));
        assertEquals(expected, numbers(b));
    }

    @Test
    void resumeReplaysWithoutGapOrDuplicateWhilePublishingGoesOn() throws Exception {
        Topic topic = newTopic();
        List<EventId> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add(publish(topic, i));
        }
        int total = 220;
        Thread publisher = new Thread(() -> {
            for (int i = 21; i <= total; i++) {
                publish(topic, i);
            }
        });
        publisher.start();
        List<AssertSubscriber<Frame>> subs = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            int resumeAfter = ThreadLocalRandom.current().nextInt(1, 20);
            from.add(resumeAfter);
            subs.add(subscribe(topic, ids.get(resumeAfter - 1).toString()));
            Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // spread the joins over the publishing
        }
        publisher.join();
        for (int k = 0; k < subs.size(); k++) {
            AssertSubscriber<Frame> sub = subs.get(k);
            int start = from.get(k) + 1;
            Await.until("subscriber " + k + " caught up", () -> numbers(sub).size() >= total - start + 1);
            List<Integer> expected =
                    java.util.stream.IntStream.rangeClosed(start, total).boxed().toList();
            assertEquals(expected, numbers(sub), "subscriber " + k + " resumed after " + from.get(k));
        }
    }

    @Test
    void resumeFromTheHeadReplaysNothingAndGoesLive() {
        Topic topic = newTopic();
        publish(topic, 1);
        EventId head = publish(topic, 2);
        AssertSubscriber<Frame> sub = subscribe(topic, head.toString());
        Await.until("live", () -> fanout.liveSubscribers(topic) == 1);
        publish(topic, 3);
        Await.until("event 3", () -> numbers(sub).size() == 1);
        assertEquals(List.of(3), numbers(sub));
    }

    @Test
    void resumeFromTheStartReplaysAWholeRetainedEpoch() {
        Topic topic = newTopic();
        publish(topic, 1);
        publish(topic, 2);
        AssertSubscriber<Frame> sub = subscribe(topic, EventId.START.toString());
        Await.until("two events", () -> numbers(sub).size() == 2);
        assertEquals(List.of(1, 2), numbers(sub));
    }

    @Test
    void resyncWhenTheEventsAfterTheIdWereTrimmed() {
        Topic topic = newTopic();
        EventId first = publish(topic, 0);
        EventId head = first;
        for (int i = 1; i <= SIZE + 1; i++) {
            head = publish(topic, i);
        }
        AssertSubscriber<Frame> sub = subscribe(topic, first.toString());
        Await.until("resync", () -> messages(sub).size() == 1);
        assertEquals(
                List.of("id=" + head + " data={\"action\":\"resync\",\"reason\":\"history_trimmed\",\"topic\":\""
                        + topic + "\",\"head\":\"" + head + "\"}"),
                messages(sub));
        publish(topic, 999);
        Await.until("live after resync", () -> numbers(sub).contains(999));
        assertEquals(List.of(999), numbers(sub), "no partial replay, then live");
    }

    @Test
    void resyncOnAnIdThatCannotBeParsed() {
        Topic topic = newTopic();
        EventId head = publish(topic, 1);
        AssertSubscriber<Frame> sub = subscribe(topic, "not an id\r\ndata: x");
        Await.until("resync", () -> messages(sub).size() == 1);
        assertTrue(
                messages(sub).get(0).contains("\"reason\":\"unknown_id\""),
                messages(sub).toString());
        assertTrue(
                messages(sub).get(0).startsWith("id=" + head + " "),
                messages(sub).toString());
    }

    @Test
    void resyncOnAnIdOfAnotherEpoch() {
        Topic topic = newTopic();
        publish(topic, 1);
        AssertSubscriber<Frame> sub = subscribe(topic, "otherepoch-1");
        Await.until("resync", () -> messages(sub).size() == 1);
        assertTrue(
                messages(sub).get(0).contains("\"reason\":\"epoch_changed\""),
                messages(sub).toString());
    }

    @Test
    void resyncOnAnIdAheadOfTheHead() {
        Topic topic = newTopic();
        EventId head = publish(topic, 1);
        AssertSubscriber<Frame> sub = subscribe(topic, head.epoch() + "-50");
        Await.until("resync", () -> messages(sub).size() == 1);
        assertTrue(
                messages(sub).get(0).contains("\"reason\":\"unknown_id\""),
                messages(sub).toString());
    }

    @Test
    void topicsAreIsolated() {
        Topic a = newTopic();
        Topic b = new Topic(a.type(), a.id(), Channel.LIKES);
        AssertSubscriber<Frame> subA = subscribe(a, null);
        AssertSubscriber<Frame> subB = subscribe(b, null);
        Await.until("both live", () -> fanout.liveSubscribers(a) == 1 && fanout.liveSubscribers(b) == 1);
        publish(a, 1);
        publish(b, 2);
        Await.until("a's event", () -> numbers(subA).size() == 1);
        Await.until("b's event", () -> numbers(subB).size() == 1);
        assertEquals(List.of(1), numbers(subA));
        assertEquals(List.of(2), numbers(subB));
    }

    @Test
    void cancellingAStreamRemovesItAndTheLastOneStopsTheTopicFeed() {
        Topic topic = newTopic();
        AssertSubscriber<Frame> one = subscribe(topic, null);
        AssertSubscriber<Frame> two = subscribe(topic, null);
        Await.until("both open", () -> fanout.openStreams() == 2 && fanout.liveSubscribers(topic) == 2);
        one.cancel();
        assertEquals(1, fanout.openStreams(), "removed at once, not at the next tick");
        assertEquals(1, fanout.activeTopics());
        two.cancel();
        assertEquals(0, fanout.openStreams());
        assertEquals(0, fanout.activeTopics());
    }

    @Test
    void aReaderThatStopsReadingIsDisconnectedWhileOthersKeepReceiving() {
        Topic topic = newTopic();
        AssertSubscriber<Frame> stalled = fanout.subscribe(topic, null)
                .subscribe()
                .withSubscriber(AssertSubscriber.create(2)); // takes the opening frames, then reads nothing
        AssertSubscriber<Frame> fast = subscribe(topic, null);
        Await.until("both live", () -> fanout.liveSubscribers(topic) == 2);
        int count = BUFFER * 3;
        for (int i = 1; i <= count; i++) {
            publish(topic, i);
        }
        Await.until("fast got all", () -> numbers(fast).size() == count);
        Await.until("stalled one ended", () -> stalled.getFailure() != null || stalled.hasCompleted());
        Await.until("stalled one removed", () -> fanout.openStreams() == 1);
        assertEquals(1, fanout.liveSubscribers(topic));
    }

    private static String resync(String reason, Topic topic, EventId head) {
        return "id=" + head + " data={\"action\":\"resync\",\"reason\":\"" + reason + "\",\"topic\":\"" + topic
                + "\",\"head\":\"" + head + "\"}";
    }

    private static String event(EventId id, int n) {
        return "id=" + id + " data={\"n\":" + n + "}";
    }

    /** A live subscriber that has received events 1 to {@code n}, with their ids. */
    private List<EventId> liveWithEvents(Topic topic, AssertSubscriber<Frame> sub, int n) {
        Await.until("live", () -> fanout.liveSubscribers(topic) == 1);
        List<EventId> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(publish(topic, i));
        }
        Await.until("the first events", () -> numbers(sub).size() == n);
        return ids;
    }

    private static EventId resyncHead(AssertSubscriber<Frame> sub) {
        return sub.getItems().stream()
                .filter(f -> f.data() != null && f.data().contains("\"resync\""))
                .map(f -> EventId.parse(f.id()).orElseThrow())
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aLostHeadUnderLiveStreamsGivesAResyncBeforeAnyEventOfTheNewLog() {
        Topic topic = newTopic();
        AssertSubscriber<Frame> sub = subscribe(topic, null);
        List<EventId> old = liveWithEvents(topic, sub, 3);
        loseTopic(topic);
        Await.until("told the head was lost", () -> messages(sub).size() == 4);
        EventId first = publish(topic, 4);
        EventId second = publish(topic, 5);
        Await.until("the new log's events", () -> messages(sub).size() == 6);
        assertEquals(
                List.of(
                        event(old.get(0), 1),
                        event(old.get(1), 2),
                        event(old.get(2), 3),
                        resync("head_lost", topic, EventId.START),
                        event(first, 4),
                        event(second, 5)),
                messages(sub));
        assertEquals(1, first.sequence(), "the new log is a new epoch from its start");
    }

    @Test
    void anEpochChangeUnderLiveStreamsGivesAResyncBeforeAnyEventOfTheNewEpoch() {
        Topic topic = newTopic();
        AssertSubscriber<Frame> sub = subscribe(topic, null);
        List<EventId> old = liveWithEvents(topic, sub, 3);
        EventId newHead = replaceWithNewEpoch(topic, 2);
        Await.until("the resync", () -> messages(sub).size() == 4);
        EventId next = publish(topic, 9);
        Await.until("the next event", () -> messages(sub).size() == 5);
        assertEquals(
                List.of(
                        event(old.get(0), 1),
                        event(old.get(1), 2),
                        event(old.get(2), 3),
                        resync("epoch_changed", topic, newHead),
                        event(next, 9)),
                messages(sub),
                "the new epoch's events before the resync's head are what the reload covers");
    }

    @Test
    void aHeadThatMovedBackUnderLiveStreamsStartsANewEpochAndResyncsSoNoIdIsGivenTwice() {
        Topic topic = newTopic();
        AssertSubscriber<Frame> sub = subscribe(topic, null);
        List<EventId> old = liveWithEvents(topic, sub, 5);
        rollBack(topic, old, 3);
        Await.until("the resync", () -> messages(sub).size() == 6);
        EventId restarted = resyncHead(sub);
        assertTrue(!restarted.sameEpoch(old.get(0)) && restarted.sequence() == 0, "a new epoch: " + restarted);
        EventId next = publish(topic, 6);
        Await.until("the next event", () -> messages(sub).size() == 7);
        assertEquals(new EventId(restarted.epoch(), 1), next, "the lost ids are not given again");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(event(old.get(i), i + 1));
        }
        expected.add(resync("rolled_back", topic, restarted));
        expected.add(event(next, 6));
        assertEquals(expected, messages(sub));

        AssertSubscriber<Frame> resumed = subscribe(topic, old.get(4).toString());
        Await.until("the resumed stream's resync", () -> messages(resumed).size() == 1);
        assertEquals(List.of(resync("epoch_changed", topic, next)), messages(resumed));
    }

    @Test
    void aResumeAheadOfTheStoresHeadInItsEpochIsResyncedWhilePublishingGoesOn() throws Exception {
        Topic topic = newTopic();
        EventId head = publish(topic, 1);
        Thread publisher = new Thread(() -> {
            for (int i = 2; i <= 40; i++) {
                publish(topic, i);
            }
        });
        publisher.start();
        AssertSubscriber<Frame> sub = subscribe(topic, head.epoch() + "-1000");
        Await.until("a resync", () -> !messages(sub).isEmpty());
        publisher.join();
        assertTrue(
                messages(sub).get(0).contains("\"reason\":\"unknown_id\""),
                messages(sub).toString());
    }
}
