package dev.eventhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.store.redis.ReplicasNotReachedException;
import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code realtime.publish.min-replicas}: a publish is acknowledged only once that many replicas have it. */
class RedisReplicaAckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aPublishIsAcknowledgedOnlyWhenTheReplicasHaveItAndFailsAsAnOutageWhenTheyDoNot() {
        Vertx vertx = Vertx.vertx();
        try (RedisServerProcess primary = RedisServerProcess.start();
                RedisServerProcess replica = RedisServerProcess.startReplicaOf(primary)) {
            Redis client = Redis.createClient(vertx, primary.url());
            RedisEventStore store = new RedisEventStore(
                    client,
                    TestRedis.uniquePrefix(),
                    RedisEventStore.Settings.of(100, Duration.ofHours(1), Duration.ofHours(24), false, 16384)
                            .withTimeout(TIMEOUT)
                            .withMinReplicas(1),
                    "primary");
            Topic topic = new Topic(EntityType.TRIP, "replicated", Channel.COMMENTS);
            EventId first = store.append(topic, "{\"n\":1}").await().atMost(TIMEOUT.multipliedBy(2));
            assertEquals(first.toString(), replica.call("GET", store.keys().head(topic)), "the replica had it first");

            assertEquals("+OK", replica.call("REPLICAOF", "NO", "ONE")); // no replica any more
            long started = System.nanoTime();
            StoreUnavailableException refused = assertThrows(
                    StoreUnavailableException.class,
                    () -> store.append(topic, "{\"n\":2}").await().atMost(TIMEOUT.multipliedBy(2)));
            assertTrue(
                    refused instanceof ReplicasNotReachedException
                            || refused.getCause() instanceof ReplicasNotReachedException,
                    refused.toString());
            assertTrue(
                    System.nanoTime() - started < TIMEOUT.multipliedBy(2).toNanos(),
                    "answered within the store timeout");
            assertEquals(
                    first.epoch() + "-2",
                    primary.call("GET", store.keys().head(topic)),
                    "stored on the primary all the same: a retry needs the Idempotency-Key");

            IdempotencyKey key =
                    IdempotencyKey.of("k-1", "{\"n\":3}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int attempt = 0; attempt < 2; attempt++) {
                StoreUnavailableException again = assertThrows(
                        StoreUnavailableException.class,
                        () -> store.append(topic, "{\"n\":3}", key).await().atMost(TIMEOUT.multipliedBy(2)));
                assertTrue(again.getMessage().contains(first.epoch() + "-3"), again.getMessage());
            }
            assertEquals(
                    first.epoch() + "-3",
                    primary.call("GET", store.keys().head(topic)),
                    "the retry with the key answered the first attempt's id and stored nothing");
            client.close();
        } finally {
            vertx.closeAndAwait();
        }
    }
}
