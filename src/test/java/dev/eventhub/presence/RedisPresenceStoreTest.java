package dev.eventhub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.presence.redis.RedisPresenceStore;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.RedisSession;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Topic;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisPresenceStoreTest extends PresenceStoreContract {

    @RegisterExtension
    static final RedisSession SESSION = new RedisSession();

    private Vertx vertx;
    private Redis redis;
    private String prefix;
    private RedisEventStore log;
    private RedisPresenceStore store;

    @BeforeEach
    void createStore() {
        vertx = SESSION.vertx();
        redis = SESSION.client();
        prefix = SESSION.prefix();
        log = new RedisEventStore(
                redis,
                prefix,
                RedisEventStore.Settings.of(100, Duration.ofHours(1), Duration.ofHours(24), false, 16384),
                "test redis");
        store = new RedisPresenceStore(log, TTL, SNAPSHOT_LIMIT, Clock.systemUTC());
    }

    @Override
    protected PresenceStore store() {
        return store;
    }

    @Override
    protected EventStore log() {
        return log;
    }

    /** Expiry runs on Redis's clock (TIME), so wait until that clock has moved on. */
    @Override
    protected void pass(Duration duration) {
        TestRedis.awaitClock(redis, duration);
    }

    private String key(Topic topic, String name) {
        return prefix + "{" + topic.name() + "}:" + name;
    }

    @Test
    void presenceKeysShareTheTopicsSlotExpireAfterTheLeasesAndGoWithTheLastViewer() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("ann", "Ann"));
        for (String name : List.of("viewers", "leases", "display")) {
            long ttl = TestRedis.send(redis, Command.PTTL, key(topic, name)).toLong();
            assertTrue(ttl > TTL.toMillis() && ttl <= 2 * TTL.toMillis(), name + " PTTL " + ttl);
        }
        release("i-a", topic, Viewer.bare("ann"));
        for (String name : List.of("viewers", "leases", "display")) {
            assertEquals(
                    0, TestRedis.send(redis, Command.EXISTS, key(topic, name)).toInteger(), name + " removed");
        }
        assertEquals(
                1, TestRedis.send(redis, Command.EXISTS, key(topic, "head")).toInteger(), "the log stays");
    }

    @Test
    void aCallOverTheLeaseLimitRunsInSeveralScriptsWithTheSameResult() {
        List<Lease> leases = new ArrayList<>();
        List<Topic> topics = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            topics.add(newEntity());
        }
        for (int i = 0; i < RedisPresenceStore.MAX_LEASES_PER_CALL + 10; i++) {
            leases.add(new Lease(topics.get(i % 3), Viewer.bare("v" + i)));
        }
        PresenceUpdate update = store.track("i-a", leases, List.of()).await().atMost(WAIT);
        assertEquals(
                leases.size(),
                update.changed().stream().filter(Boolean::booleanValue).count());
        assertEquals(
                leases.size(),
                update.counts().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(
                List.of(false), track("i-a", topics.get(0), Viewer.bare("v0")).changed());
    }

    @Test
    void aLostScriptCacheIsReloaded() {
        Topic topic = newEntity();
        TestRedis.send(redis, Command.SCRIPT, "FLUSH");
        assertEquals(List.of(true), track("i-a", topic, viewer("ann", "Ann")).changed());
    }
}
