package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.store.redis.RedisKeys;
import dev.eventhub.support.Await;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    /**
     * The channels with subscribers under this test's prefix: PUBSUB SHARDCHANNELS where the
     * notifier uses sharded pub/sub (on a cluster, the union over every master), else PUBSUB CHANNELS.
     */
    protected Set<String> subscribedChannels() {
        String kind = notifiers.get(0).sharded() ? "SHARDCHANNELS" : "CHANNELS";
        Set<String> channels = new HashSet<>();
        TestRedis.send(clients.get(0), Command.PUBSUB, kind, prefix + "*").forEach(c -> channels.add(c.toString()));
        return channels;
    }

    /** Subscribers of one channel, summed over the servers (PUBSUB SHARDNUMSUB or NUMSUB). */
    protected long subscribers(String channel) {
        String kind = notifiers.get(0).sharded() ? "SHARDNUMSUB" : "NUMSUB";
        return TestRedis.send(clients.get(0), Command.PUBSUB, kind, channel)
                .get(1)
                .toLong();
    }

    @Test
    void anInstanceSubscribesOnlyToTheChannelsOfTopicsItServesFromFirstReaderToLast() {
        RedisKeys keys = ((RedisEventStore) store).keys();
        Topic a = newTopic();
        Topic b = newTopic();
        Topic unread = newTopic();
        AssertSubscriber<Frame> a1 = subscribe(a, null);
        AssertSubscriber<Frame> a2 = subscribe(a, null);
        AssertSubscriber<Frame> b1 = subscribe(b, null);
        publish(unread, 1); // published, but nobody here reads it: no subscription for it
        Set<String> served = Set.of(keys.notifyChannel(a), keys.notifyChannel(b));
        Await.until("subscribed to a and b only", () -> subscribedChannels().equals(served));
        assertTrue(!notifying() || notifiers.get(0).connected());

        EventStore otherStore = newStore(true);
        Fanout other = newFanout(otherStore);
        try {
            AssertSubscriber<Frame> there =
                    other.subscribe(a, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            Await.until("the other instance subscribed to a", () -> subscribers(keys.notifyChannel(a)) == 2);
            assertEquals(1, subscribers(keys.notifyChannel(b)), "b: only the instance that serves it");
            there.cancel();
            Await.until("the other instance left a", () -> subscribers(keys.notifyChannel(a)) == 1);
        } finally {
            other.stop();
        }

        a1.cancel(); // a still has a reader here: still subscribed
        b1.cancel(); // b's last reader: unsubscribed
        Await.until("subscribed to a only", () -> subscribedChannels().equals(Set.of(keys.notifyChannel(a))));
        a2.cancel();
        Await.until("subscribed to nothing", () -> subscribedChannels().isEmpty());
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
