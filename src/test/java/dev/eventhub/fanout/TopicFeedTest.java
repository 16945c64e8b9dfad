package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.LogSlice;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A feed's reads and admissions in an order the stream suites reach only by timing. */
class TopicFeedTest {

    private static final Topic TOPIC = new Topic(EntityType.TRIP, "1", Channel.PRESENCE);

    private static LogSlice slice(int upTo) {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 1; i <= upTo; i++) {
            events.add(new StoredEvent(new EventId("k3x9q2ma01", i), "{\"n\":" + i + "}"));
        }
        return new LogSlice(upTo == 0 ? EventId.START : new EventId("k3x9q2ma01", upTo), events);
    }

    /** The store as the feed sees it: each read waits until the test answers it. */
    private static final class Reads implements TopicFeed.Reads {
        final ArrayDeque<CompletableFuture<LogSlice>> out = new ArrayDeque<>();

        @Override
        public Uni<LogSlice> read(Topic topic, EventId after) {
            CompletableFuture<LogSlice> answer = new CompletableFuture<>();
            out.add(answer);
            return Uni.createFrom().completionStage(answer);
        }

        @Override
        public Uni<EventId> restartEpoch(Topic topic, EventId rolledBack) {
            throw new UnsupportedOperationException();
        }

        int inFlight() {
            return out.size();
        }

        /** Fails the oldest read out. */
        void fail() {
            out.removeFirst().completeExceptionally(new IllegalStateException("store down"));
        }

        /** Answers the oldest read out with {@code slice}. */
        void answer(LogSlice slice) {
            out.removeFirst().complete(slice);
        }
    }

    /** A feed with no context: the test is its only caller, so every call runs at once, in turn. */
    private static TopicFeed feed(Reads reads) {
        return new TopicFeed(TOPIC, 100, new HubStats(), null, reads);
    }

    private static AssertSubscriber<Frame> attach(TopicFeed feed, String lastEventId) {
        AssertSubscriber<Frame> frames = AssertSubscriber.create(Long.MAX_VALUE);
        Multi.createFrom()
                .<Frame>emitter(emitter -> {
                    assertTrue(feed.join());
                    feed.attach(new Subscriber(TOPIC, emitter, new HubStats()), Resume.from(lastEventId));
                })
                .subscribe()
                .withSubscriber(frames);
        return frames;
    }

    private static List<String> data(AssertSubscriber<Frame> frames) {
        return frames.getItems().stream()
                .filter(f -> f.data() != null)
                .map(Frame::data)
                .toList();
    }

    @Test
    void anIdAheadOfAReadAlreadyRunningWaitsForTheNextReadInsteadOfAResync() {
        Reads reads = new Reads();
        TopicFeed feed = feed(reads);
        attach(feed, null); // the first stream loads the feed: no events yet
        assertEquals(1, reads.inFlight(), "the first stream makes the feed read");
        reads.answer(slice(0));
        assertEquals(0, reads.inFlight());

        feed.polled(new EventId("k3x9q2ma01", 1)); // a poll's read starts, before event 1 is stored
        assertEquals(1, reads.inFlight());
        AssertSubscriber<Frame> ahead = attach(feed, "k3x9q2ma01-1"); // saw event 1 elsewhere
        assertEquals(1, reads.inFlight(), "a read is running: it will run once more, not twice at once");
        reads.answer(slice(0)); // the read that started too early
        assertEquals(List.of(), data(ahead), "no resync from a read older than the id");
        assertEquals(1, reads.inFlight(), "read once more");
        reads.answer(slice(2));
        assertEquals(0, reads.inFlight());
        assertEquals(List.of("{\"n\":2}"), data(ahead), "after its id, nothing missed and nothing twice");
    }

    @Test
    void anIdStillAheadOfAFreshReadWithNoReadPendingIsResynced() {
        Reads reads = new Reads();
        TopicFeed feed = feed(reads);
        AssertSubscriber<Frame> ahead = attach(feed, "k3x9q2ma01-5");
        assertEquals(1, reads.inFlight());
        reads.answer(slice(2));
        assertEquals(0, reads.inFlight());
        assertEquals(
                List.of(
                        "{\"action\":\"resync\",\"reason\":\"unknown_id\",\"topic\":\"trip/1/presence\",\"head\":\"k3x9q2ma01-2\"}"),
                data(ahead));
    }

    @Test
    void aFailedReadIsLeftToTheNextPollAndAWakeMeanwhileDoesNotReadTwice() {
        Reads reads = new Reads();
        TopicFeed feed = feed(reads);
        AssertSubscriber<Frame> first = attach(feed, null);
        reads.answer(slice(1));
        feed.polled(new EventId("k3x9q2ma01", 2));
        feed.offer(new EventId("k3x9q2ma01", 3), null); // a gap while the read is out: read again after it
        assertEquals(1, reads.inFlight());
        reads.fail();
        assertEquals(0, reads.inFlight(), "no retry of its own: the next poll reads");
        assertFalse(feed.isReading());
        feed.polled(new EventId("k3x9q2ma01", 3));
        assertEquals(1, reads.inFlight());
        reads.answer(slice(3));
        assertEquals(0, reads.inFlight());
        assertEquals(List.of("{\"n\":2}", "{\"n\":3}"), data(first));
    }

    @Test
    void aLiveSubscriberComingWhileTheFirstReadIsOutIsServedByIt() {
        Reads reads = new Reads();
        TopicFeed feed = feed(reads);
        AssertSubscriber<Frame> first = attach(feed, null);
        AssertSubscriber<Frame> second = attach(feed, null);
        assertEquals(1, reads.inFlight(), "it only needs a head: no second read");
        reads.answer(slice(1));
        assertEquals(0, reads.inFlight());
        assertEquals(2, feed.subscriberCount());
        feed.offer(new EventId("k3x9q2ma01", 2), "{\"n\":2}");
        assertEquals(List.of("{\"n\":2}"), data(first));
        assertEquals(List.of("{\"n\":2}"), data(second));
    }
}
