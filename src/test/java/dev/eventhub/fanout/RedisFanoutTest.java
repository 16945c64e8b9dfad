package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.store.redis.RedisNotifier;
import dev.eventhub.support.Await;
import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fan-out on Redis with polling only ({@code realtime.notify=none}). */
class RedisFanoutTest extends FanoutContract {

    private final List<Redis> clients = new ArrayList<>();
    private final List<RedisNotifier> notifiers = new ArrayList<>();
    protected String prefix;

    /** Whether publishes notify and fan-outs subscribe ({@code realtime.notify=pubsub}). */
    protected boolean notifying() {
        return false;
    }

    @Override
    protected void wire(EventStore store, Fanout fanout) {
        if (notifying()) {
            RedisNotifier notifier = new RedisNotifier(
                    newClient(), ((RedisEventStore) store).notifyChannel(), vertx, fanout, fanout::pollNow);
            notifiers.add(notifier);
            fanout.notificationsActive(notifier::connected);
            notifier.start();
            Await.until("subscribed", notifier::connected);
        }
    }

    private Redis newClient() {
        Redis client = TestRedis.client(new io.vertx.mutiny.core.Vertx(vertx));
        clients.add(client);
        return client;
    }

    @Override
    protected EventStore createStore(Vertx vertx) {
        prefix = TestRedis.uniquePrefix();
        return newStore(vertx);
    }

    protected RedisEventStore newStore(Vertx vertx) {
        return newStore(notifying());
    }

    protected RedisEventStore newStore(boolean notify) {
        return new RedisEventStore(
                newClient(), prefix, SIZE, Duration.ofHours(1), Duration.ofHours(24), notify, 16384, "test");
    }

    @Override
    protected void setState(Topic topic, EventId head, List<StoredEvent> events) {
        RedisEventStore redisStore = (RedisEventStore) store;
        TestRedis.setTopic(
                clients.get(0), redisStore.keys().head(topic), redisStore.keys().log(topic), head, events);
    }

    @AfterEach
    void removeKeys() {
        notifiers.forEach(RedisNotifier::stop);
        TestRedis.deleteKeys(clients.get(0), prefix);
        clients.forEach(Redis::close);
    }

    @Test
    void twoInstancesOnOneRedisServeOneStream() {
        EventStore otherStore = newStore(notifying());
        Fanout other = newFanout(otherStore);
        try {
            Topic topic = newTopic();
            AssertSubscriber<Frame> here = subscribe(topic, null);
            AssertSubscriber<Frame> there =
                    other.subscribe(topic, null).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            Await.until("both live", () -> fanout.liveSubscribers(topic) == 1 && other.liveSubscribers(topic) == 1);
            publish(topic, 1);
            otherStore.append(topic, "{\"n\":2}").await().indefinitely();
            Await.until("here got both", () -> numbers(here).size() == 2);
            Await.until("there got both", () -> numbers(there).size() == 2);
            assertEquals(List.of(1, 2), numbers(here));
            assertEquals(List.of(1, 2), numbers(there));
        } finally {
            other.stop();
        }
    }

    @Test
    void idleStreamsCostOneMgetPerTickWhateverTheirNumber() throws Exception {
        // Its own server, so INFO commandstats counts this fan-out's commands and nobody else's.
        try (RedisServerProcess own = RedisServerProcess.start()) {
            io.vertx.mutiny.core.Vertx mutinyVertx = new io.vertx.mutiny.core.Vertx(vertx);
            Redis client = Redis.createClient(mutinyVertx, own.url());
            clients.add(client);
            RedisEventStore ownStore = new RedisEventStore(
                    client, prefix, SIZE, Duration.ofHours(1), Duration.ofHours(24), notifying(), 16384, "own");
            Fanout measured = newFanout(ownStore);
            try {
                List<Topic> topics = new ArrayList<>();
                for (int t = 0; t < 10; t++) {
                    Topic topic = newTopic();
                    topics.add(topic);
                    ownStore.append(topic, "{\"n\":0}").await().indefinitely();
                    for (int s = 0; s < 20; s++) {
                        measured.subscribe(topic, null)
                                .subscribe()
                                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
                    }
                }
                Await.until(
                        "200 live",
                        () -> topics.stream()
                                        .mapToInt(measured::liveSubscribers)
                                        .sum()
                                == 200);
                long mgetBefore = TestRedis.commandCalls(client, "mget");
                long evalBefore = TestRedis.commandCalls(client, "evalsha");
                long started = System.nanoTime();
                Thread.sleep(1_000); // measuring a rate over a fixed window: the sleep is the measurement
                long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
                long mgets = TestRedis.commandCalls(client, "mget") - mgetBefore;
                long evals = TestRedis.commandCalls(client, "evalsha") - evalBefore;
                long ticks = elapsedMillis / POLL.toMillis();
                assertTrue(mgets <= ticks + 2, mgets + " MGETs in " + ticks + " ticks for 10 topics and 200 streams");
                assertTrue(mgets >= ticks / 2, "the poller runs: " + mgets + " MGETs in " + ticks + " ticks");
                assertEquals(0, evals, "no log is read while no head moves");
            } finally {
                measured.stop();
            }
        }
    }
}
