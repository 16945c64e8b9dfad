package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.Await;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fan-out on Redis with pub/sub notifications ({@code realtime.notify=pubsub}): the whole
 * contract again, plus what notifications add.
 */
class RedisNotifyFanoutTest extends RedisFanoutTest {

    @Override
    protected boolean notifying() {
        return true;
    }

    /** The fan-out again with a 30 s poll: what happens within it comes from notifications. */
    private void pollRarely() {
        fanout.stop();
        fanout = new Fanout(
                store,
                vertx,
                new Fanout.Settings(
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(2),
                        BUFFER,
                        SIZE,
                        Duration.ZERO),
                new HubStats());
        wire(store, fanout);
        fanout.start();
    }

    @Test
    void aNotifiedEventArrivesLongBeforeTheNextPoll() {
        pollRarely();
        Topic topic = newTopic();
        AssertSubscriber<Frame> sub = subscribe(topic, null);
        Await.until("live", () -> fanout.liveSubscribers(topic) == 1);
        publish(topic, 1);
        Await.until(
                "delivered by notification, with a 30 s poll",
                Duration.ofSeconds(3),
                () -> numbers(sub).size() == 1);
        assertEquals(List.of(1), numbers(sub));
    }

    @Test
    void anEventWhoseNotificationWasMissedArrivesByPolling() {
        RedisEventStore silent = newStore(false); // appends without PUBLISH, as if the message were lost
        Topic topic = newTopic();
        AssertSubscriber<Frame> sub = subscribe(topic, null);
        Await.until("live", () -> fanout.liveSubscribers(topic) == 1);
        silent.append(topic, "{\"n\":1}").await().indefinitely();
        publish(topic, 2); // notified, but it is not the next event here: the gap makes the feed read
        silent.append(topic, "{\"n\":3}").await().indefinitely();
        Await.until("all three, in order", () -> numbers(sub).size() == 3);
        assertEquals(List.of(1, 2, 3), numbers(sub));
    }

    @Test
    void anIdDeliveredHereThatTheStoreGivesToAnotherEventRollsTheEpochOverBeforeAnyPoll() {
        pollRarely();
        Topic topic = newTopic();
        AssertSubscriber<Frame> sub = subscribe(topic, null);
        Await.until("live", () -> fanout.liveSubscribers(topic) == 1);
        List<EventId> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(publish(topic, i));
        }
        Await.until("five events", () -> numbers(sub).size() == 5);
        List<StoredEvent> kept = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            kept.add(new StoredEvent(ids.get(i), "{\"n\":" + (i + 1) + "}"));
        }
        setState(topic, ids.get(2), kept); // the failover to a replica that lagged, unseen by any poll
        EventId reused = publish(topic, 40);
        assertEquals(ids.get(3), reused, "the rolled back store gives r4's id again");
        Await.until("the resync", Duration.ofSeconds(5), () -> messages(sub).size() == 6);
        assertTrue(
                messages(sub).get(5).contains("\"reason\":\"rolled_back\""),
                messages(sub).toString());
        EventId next = publish(topic, 41);
        Await.until("the next event", () -> numbers(sub).size() == 6);
        assertTrue(!next.sameEpoch(ids.get(0)), "a new epoch: " + next);
        assertEquals(List.of(1, 2, 3, 4, 5, 41), numbers(sub));
    }
}
