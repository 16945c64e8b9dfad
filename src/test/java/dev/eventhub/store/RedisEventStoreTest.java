package dev.eventhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.RedisSession;
import dev.eventhub.support.TestRedis;
import dev.eventhub.topic.Topic;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisEventStoreTest extends EventStoreContract {

    @RegisterExtension
    static final RedisSession SESSION = new RedisSession();

    private Vertx vertx;
    private Redis redis;
    private String prefix;
    private RedisEventStore store;

    @BeforeEach
    void createStore() {
        vertx = SESSION.vertx();
        redis = SESSION.client();
        prefix = SESSION.prefix();
        store = new RedisEventStore(
                redis,
                prefix,
                RedisEventStore.Settings.of(SIZE, TTL, HEAD_TTL, false, 16384).withIdempotencyTtl(IDEMPOTENCY_TTL),
                "test redis");
    }

    @Override
    protected EventStore store() {
        return store;
    }

    @Override
    protected void expireLog(Topic topic) {
        TestRedis.send(redis, Command.DEL, prefix + "{" + topic.name() + "}:log");
    }

    @Override
    protected void loseHead(Topic topic) {
        TestRedis.send(redis, Command.DEL, prefix + "{" + topic.name() + "}:head");
    }

    @Test
    void publishSetsTheLogTtlAndTheLongerHeadTtl() {
        Topic topic = newTopic();
        store.append(topic, "{}").await().indefinitely();
        long logTtl = TestRedis.send(redis, Command.PTTL, prefix + "{" + topic.name() + "}:log")
                .toLong();
        long headTtl = TestRedis.send(redis, Command.PTTL, prefix + "{" + topic.name() + "}:head")
                .toLong();
        assertTrue(logTtl > TTL.toMillis() - 5_000 && logTtl <= TTL.toMillis(), "log PTTL " + logTtl);
        assertTrue(headTtl > HEAD_TTL.toMillis() - 5_000 && headTtl <= HEAD_TTL.toMillis(), "head PTTL " + headTtl);
    }

    @Test
    void anIdempotencyKeyIsAKeyInTheTopicsSlotThatExpiresAtItsTtl() {
        Topic topic = newTopic();
        byte[] body = "{\"n\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        EventId id = store.append(topic, "{}", IdempotencyKey.of("k-1", body))
                .await()
                .indefinitely()
                .id();
        String idem = prefix + "{" + topic.name() + "}:idem:k-1";
        assertEquals(
                IdempotencyKey.of("k-1", body).bodyDigest() + " " + id,
                TestRedis.send(redis, Command.GET, idem).toString());
        long ttl = TestRedis.send(redis, Command.PTTL, idem).toLong();
        assertTrue(
                ttl > IDEMPOTENCY_TTL.toMillis() - 5_000 && ttl <= IDEMPOTENCY_TTL.toMillis(),
                "idempotency PTTL " + ttl);
    }

    @Test
    void publishIsOneRedisCommandAndSurvivesAFlushedScriptCache() {
        // Its own server: counting commands on a shared one would count other clients too.
        try (RedisServerProcess own = RedisServerProcess.start()) {
            Redis client = Redis.createClient(vertx, own.url());
            try {
                RedisEventStore ownStore = new RedisEventStore(
                        client, prefix, RedisEventStore.Settings.of(SIZE, TTL, HEAD_TTL, false, 16384), "own");
                Topic topic = newTopic();
                ownStore.append(topic, "{}").await().indefinitely();
                TestRedis.send(client, Command.SCRIPT, "FLUSH");
                EventId id = ownStore.append(topic, "{}").await().atMost(Duration.ofSeconds(5));
                assertEquals(2, id.sequence(), "NOSCRIPT falls back to EVAL");
                TestRedis.send(client, Command.SCRIPT, "FLUSH");
                assertEquals(
                        2,
                        ownStore.readAfter(List.of(topic), java.util.Arrays.asList((EventId) null))
                                .await()
                                .atMost(Duration.ofSeconds(5))
                                .get(0)
                                .events()
                                .size(),
                        "so does a batch of reads");
                // The flush emptied the cache: this publish costs EVALSHA (NOSCRIPT), then EVAL.
                ownStore.append(topic, "{}").await().indefinitely();
                Map<String, Long> before = TestRedis.commandCallsButInfo(client);
                ownStore.append(topic, "{}").await().indefinitely();
                assertEquals(
                        Map.of("evalsha", 1L, "get", 1L, "set", 1L, "lpush", 1L, "ltrim", 1L, "pexpire", 1L),
                        TestRedis.ranBetween(before, TestRedis.commandCallsButInfo(client)),
                        "one EVALSHA, and inside it the script's own commands: nothing else was sent");
            } finally {
                client.close();
            }
        }
    }

    @Override
    protected void passIdempotencyTtl(Topic topic, String key) {
        String idem = prefix + "{" + topic.name() + "}:idem:" + key;
        TestRedis.send(redis, Command.PEXPIRE, idem, "1");
        dev.eventhub.support.Await.until(
                "the key expired",
                () -> TestRedis.send(redis, Command.EXISTS, idem).toInteger() == 0);
    }
}
