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
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.util.ArrayList;
import java.util.List;
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

    private static AssertSubscriber<Frame> attach(TopicFeed feed, String lastEventId, boolean[] needsRead) {
        AssertSubscriber<Frame> frames = AssertSubscriber.create(Long.MAX_VALUE);
        Multi.createFrom()
                .<Frame>emitter(emitter -> feed.attach(
                        new Subscriber(TOPIC, emitter, new HubStats()), Resume.from(lastEventId), needsRead))
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
        TopicFeed feed = new TopicFeed(TOPIC, 100, new HubStats());
        boolean[] needsRead = {false};
        attach(feed, null, needsRead); // the first stream loads the feed: no events yet
        assertTrue(feed.beginRead());
        feed.apply(slice(0));
        assertFalse(feed.endRead());

        assertTrue(feed.beginRead()); // a poll's read starts, before event 1 is stored
        boolean[] aheadNeedsRead = {false};
        AssertSubscriber<Frame> ahead = attach(feed, "k3x9q2ma01-1", aheadNeedsRead); // saw event 1 elsewhere
        assertTrue(aheadNeedsRead[0]);
        assertFalse(feed.beginRead(), "a read is running: it will run once more");
        feed.apply(slice(0)); // the read that started too early
        assertEquals(List.of(), data(ahead), "no resync from a read older than the id");
        assertTrue(feed.endRead());
        feed.apply(slice(2));
        feed.endRead();
        assertEquals(List.of("{\"n\":2}"), data(ahead), "after its id, nothing missed and nothing twice");
    }

    @Test
    void anIdStillAheadOfAFreshReadWithNoReadPendingIsResynced() {
        TopicFeed feed = new TopicFeed(TOPIC, 100, new HubStats());
        boolean[] needsRead = {false};
        AssertSubscriber<Frame> ahead = attach(feed, "k3x9q2ma01-5", needsRead);
        assertTrue(feed.beginRead());
        feed.apply(slice(2));
        assertFalse(feed.endRead());
        assertEquals(
                List.of(
                        "{\"action\":\"resync\",\"reason\":\"unknown_id\",\"topic\":\"trip/1/presence\",\"head\":\"k3x9q2ma01-2\"}"),
                data(ahead));
    }
}
