package dev.eventhub.presence;

import dev.eventhub.presence.redis.RedisPresenceStore;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.TestRedis;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Instances with their own Redis clients over one Redis, sharing only its keys, as in production. */
class RedisPresenceServiceTest extends PresenceServiceContract {

    protected final String prefix = TestRedis.uniquePrefix();
    protected final List<Redis> clients = new ArrayList<>();

    @Override
    protected EventStore newLog() {
        Redis client = TestRedis.client(new io.vertx.mutiny.core.Vertx(vertx));
        clients.add(client);
        return new RedisEventStore(
                client,
                prefix,
                RedisEventStore.Settings.of(100, Duration.ofHours(1), Duration.ofHours(24), false, 16384),
                "test");
    }

    @Override
    protected PresenceStore newPresenceStore(EventStore log) {
        return new RedisPresenceStore((RedisEventStore) log, TTL, 100, Clock.systemUTC());
    }

    /** Expiry runs on Redis's clock (TIME), so wait until that clock has moved on. */
    @Override
    protected void pass(Duration duration) {
        TestRedis.awaitClock(clients.get(0), duration);
    }

    @AfterEach
    void removeKeys() {
        if (!clients.isEmpty()) {
            TestRedis.deleteKeys(clients.get(0), prefix);
        }
    }
}
