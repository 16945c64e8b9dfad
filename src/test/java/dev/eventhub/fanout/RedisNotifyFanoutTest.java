package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.Await;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
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

    @Test
    void aNotifiedEventArrivesLongBeforeTheNextPoll() {
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
}
