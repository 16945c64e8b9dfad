package dev.eventhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.store.redis.HashSlot;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.RedisSession;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Topic;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on a local 3-master Redis Cluster (the client routes each topic to its slot). */
class ClusterEventStoreTest extends EventStoreContract {

    @RegisterExtension
    static final RedisSession SESSION = RedisSession.cluster();

    private Redis redis;
    private String prefix;
    private RedisEventStore store;

    @BeforeEach
    void createStore() {
        redis = SESSION.client();
        prefix = SESSION.prefix();
        store = new RedisEventStore(
                redis,
                prefix,
                RedisEventStore.Settings.of(SIZE, TTL, HEAD_TTL, true, 16384).withIdempotencyTtl(IDEMPOTENCY_TTL),
                "test cluster",
                true);
    }

    @Override
    protected EventStore store() {
        return store;
    }

    @Test
    void headsAndBatchedReadsSpanEveryNodeOfTheCluster() {
        List<Topic> topics = new ArrayList<>();
        List<EventId> expected = new ArrayList<>();
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            Topic topic = newTopic();
            topics.add(topic);
            slots.add(HashSlot.of(store.keys().head(topic)));
            expected.add(
                    i % 4 == 0
                            ? EventId.START
                            : store.append(topic, "{\"n\":" + i + "}").await().indefinitely());
        }
        assertTrue(slots.size() > 50, "topics spread over many slots, so over all three masters: " + slots.size());
        assertEquals(expected, store.heads(topics).await().atMost(Duration.ofSeconds(5)));
        List<LogSlice> slices = store.readAfter(topics, Arrays.asList(new EventId[topics.size()]))
                .await()
                .atMost(Duration.ofSeconds(5));
        for (int i = 0; i < topics.size(); i++) {
            assertEquals(
                    expected.get(i) == EventId.START ? 0 : 1,
                    slices.get(i).events().size(),
                    "topic " + i);
        }
    }

    @Override
    protected void expireLog(Topic topic) {
        TestRedis.send(redis, Command.DEL, store.keys().log(topic));
    }

    @Override
    protected void loseHead(Topic topic) {
        TestRedis.send(redis, Command.DEL, store.keys().head(topic));
    }

    @Override
    protected void passIdempotencyTtl(Topic topic, String key) {
        String idem = store.keys().idempotency(topic, key);
        TestRedis.send(redis, Command.PEXPIRE, idem, "1");
        dev.eventhub.support.Await.until(
                "the key expired",
                () -> TestRedis.send(redis, Command.EXISTS, idem).toInteger() == 0);
    }
}
