package dev.eventhub.presence;

import dev.eventhub.store.EventStore;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.TestRedis;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;

/** The presence service contract with each instance's own cluster client, on a local 3-master Redis Cluster. */
class ClusterPresenceServiceTest extends RedisPresenceServiceTest {

    @Override
    protected EventStore newLog() {
        Redis client = TestRedis.clusterClient(new io.vertx.mutiny.core.Vertx(vertx));
        clients.add(client);
        return new RedisEventStore(
                client,
                prefix,
                RedisEventStore.Settings.of(100, Duration.ofHours(1), Duration.ofHours(24), false, 16384),
                "test",
                true);
    }

    @Override
    void removeKeys() {
        // the cluster ends with the JVM
    }
}
