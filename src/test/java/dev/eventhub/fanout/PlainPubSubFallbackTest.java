package dev.eventhub.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.store.redis.RedisNotifier;
import dev.eventhub.support.Await;
import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A server without sharded pub/sub (Redis before 7; here a Redis 7 with SSUBSCRIBE and SPUBLISH
 * renamed away): the publish script falls back to PUBLISH and the notifier to SUBSCRIBE, still one
 * channel per topic it serves, and events still arrive long before the next poll.
 */
class PlainPubSubFallbackTest {

    @Test
    void withoutShardedPubSubEachServedTopicIsSubscribedWithPlainPubSub() {
        Vertx vertx = Vertx.vertx();
        try (RedisServerProcess own = RedisServerProcess.start(
                List.of("--rename-command", "SSUBSCRIBE", "", "--rename-command", "SPUBLISH", ""))) {
            Redis client = Redis.createClient(new io.vertx.mutiny.core.Vertx(vertx), own.url());
            RedisEventStore store = new RedisEventStore(
                    client,
                    "fallback:",
                    RedisEventStore.Settings.of(100, Duration.ofHours(1), Duration.ofHours(24), true, 16384),
                    "own");
            Fanout fanout = new Fanout(
                    store,
                    vertx,
                    new Fanout.Settings(
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(30),
                            Duration.ofMinutes(5),
                            Duration.ofSeconds(2),
                            64,
                            100,
                            Duration.ZERO),
                    new HubStats());
            RedisNotifier notifier = new RedisNotifier(client, store, vertx, fanout, fanout::pollNow);
            fanout.notificationsActive(notifier::connected);
            fanout.readerListener(ReaderListener.watching(notifier));
            fanout.start();
            notifier.start();
            try {
                Await.until("connected", notifier::connected);
                assertFalse(notifier.sharded(), "the server has no SSUBSCRIBE");
                Topic topic = new Topic(EntityType.TRIP, UUID.randomUUID().toString(), Channel.COMMENTS);
                AssertSubscriber<Frame> sub = fanout.subscribe(topic, null)
                        .subscribe()
                        .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
                String channel = store.keys().notifyChannel(topic);
                Await.until(
                        "subscribed to the topic's channel",
                        () -> channels(client).equals(Set.of(channel)));
                store.append(topic, "{\"n\":1}").await().atMost(Duration.ofSeconds(5));
                Await.until(
                        "delivered by notification, with a 30 s poll",
                        Duration.ofSeconds(3),
                        () -> sub.getItems().stream().anyMatch(f -> "{\"n\":1}".equals(f.data())));
                sub.cancel();
                Await.until(
                        "unsubscribed after the last reader",
                        () -> channels(client).isEmpty());
                assertEquals(
                        0,
                        TestRedis.send(client, Command.PUBSUB, "SHARDCHANNELS").size(),
                        "no shard channels on this server");
            } finally {
                notifier.stop();
                fanout.stop();
                client.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static Set<String> channels(Redis client) {
        List<String> names = new ArrayList<>();
        TestRedis.send(client, Command.PUBSUB, "CHANNELS", "fallback:*").forEach(c -> names.add(c.toString()));
        return Set.copyOf(names);
    }
}
