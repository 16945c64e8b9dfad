package dev.eventhub.presence;

import dev.eventhub.presence.redis.RedisPresenceStore;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.Await;
import dev.eventhub.support.TestRedis;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Instances with their own Redis clients over one Redis, sharing only its keys, as in production. */
class RedisPresenceServiceTest extends PresenceServiceContract {

    private final String prefix = TestRedis.uniquePrefix();
    private final List<Redis> clients = new ArrayList<>();

    @Override
    protected EventStore newLog() {
        Redis client = TestRedis.client(new io.vertx.mutiny.core.Vertx(vertx));
        clients.add(client);
        return new RedisEventStore(client, prefix, 100, Duration.ofHours(1), Duration.ofHours(24), false, 16384, "test");
    }

    @Override
    protected PresenceStore newPresenceStore(EventStore log) {
        return new RedisPresenceStore((RedisEventStore) log, TTL, 100, Clock.systemUTC());
    }

    /** Expiry runs on Redis's clock (TIME), so wait until that clock has moved on. */
    @Override
    protected void pass(Duration duration) {
        long until = redisMillis() + duration.toMillis();
        Await.until("Redis's clock to pass " + duration, () -> redisMillis() >= until);
    }

    private long redisMillis() {
        Response time = TestRedis.send(clients.get(0), Command.TIME);
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    @AfterEach
    void removeKeys() {
        if (!clients.isEmpty()) {
            TestRedis.deleteKeys(clients.get(0), prefix);
        }
    }
}
