package dev.eventhub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.presence.redis.RedisPresenceStore;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.RedisSession;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Topic;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The presence store contract on a local 3-master Redis Cluster. */
class ClusterPresenceStoreTest extends PresenceStoreContract {

    @RegisterExtension
    static final RedisSession SESSION = RedisSession.cluster();

    private Redis redis;
    private RedisEventStore log;
    private RedisPresenceStore store;

    @BeforeEach
    void createStore() {
        redis = SESSION.client();
        log = new RedisEventStore(
                redis,
                SESSION.prefix(),
                RedisEventStore.Settings.of(100, Duration.ofHours(1), Duration.ofHours(24), true, 16384),
                "test cluster",
                true);
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

    @Override
    protected void pass(Duration duration) {
        // Each master has its own clock; they are one machine's here, so any node's TIME will do.
        TestRedis.awaitClock(redis, duration);
    }

    @Test
    void oneRenewalCoversEntitiesOnEveryNode() {
        List<Lease> leases = new ArrayList<>();
        List<Topic> topics = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            Topic topic = newEntity();
            topics.add(topic);
            leases.add(new Lease(topic, Viewer.bare("v" + t)));
        }
        PresenceUpdate update = store.track("i-a", leases, List.of()).await().atMost(WAIT);
        assertEquals(30, update.changed().stream().filter(Boolean::booleanValue).count());
        for (Topic topic : topics) {
            assertEquals(1, snapshot(topic).count(), topic.name());
        }
    }
}
