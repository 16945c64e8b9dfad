package dev.eventhub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.store.redis.EvictionPolicyCheck;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.support.RedisServerProcess;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up check of Redis's {@code maxmemory-policy}, against redis-servers this test starts
 * with the policy it needs, its log read through a handler on the check's category.
 */
class RedisEvictionPolicyTest {

    private final Logger category = Logger.getLogger(EvictionPolicyCheck.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Vertx vertx;

    @BeforeEach
    void listen() {
        vertx = Vertx.vertx();
        category.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        category.removeHandler(capture);
        vertx.closeAndAwait();
    }

    private void check(RedisServerProcess server) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
        try {
            RedisEventStore store = new RedisEventStore(
                    client,
                    "rt:",
                    RedisEventStore.Settings.of(10, Duration.ofHours(1), Duration.ofHours(24), false, 16384)
                            .withTimeout(Duration.ofSeconds(3)),
                    "test redis");
            new EvictionPolicyCheck(store).run().await().atMost(Duration.ofSeconds(10));
        } finally {
            client.close();
        }
    }

    private List<String> lines(Level level) {
        return logged.stream()
                .filter(r -> r.getLevel().intValue() == level.intValue())
                .map(r -> r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage())
                .toList();
    }

    @Test
    void aPolicyThatCanEvictTheHubsKeysIsNamedInAWarning() {
        try (RedisServerProcess server = RedisServerProcess.start(List.of("--maxmemory-policy", "allkeys-lru"))) {
            check(server);
        }
        List<String> warnings = lines(Level.WARNING);
        assertEquals(1, warnings.size(), logged.toString());
        assertTrue(warnings.get(0).startsWith("Redis maxmemory-policy is allkeys-lru:"), warnings.get(0));
        assertTrue(warnings.get(0).contains("set maxmemory-policy to noeviction"), warnings.get(0));
    }

    @Test
    void noevictionGivesNoWarning() {
        try (RedisServerProcess server = RedisServerProcess.start(List.of("--maxmemory-policy", "noeviction"))) {
            check(server);
        }
        assertEquals(List.of(), lines(Level.WARNING));
        assertEquals(
                List.of("Redis maxmemory-policy is noeviction: the hub's keys are never evicted"), lines(Level.INFO));
    }

    @Test
    void aRedisThatRefusesConfigIsCheckedThroughInfoMemoryAndSaysSoAtInfo() {
        try (RedisServerProcess server = RedisServerProcess.start(
                List.of("--maxmemory-policy", "volatile-lru", "--rename-command", "CONFIG", ""))) {
            check(server);
        }
        List<String> infos = lines(Level.INFO);
        assertEquals(1, infos.size(), logged.toString());
        assertTrue(infos.get(0).startsWith("Could not read Redis's maxmemory-policy with CONFIG GET"), infos.get(0));
        List<String> warnings = lines(Level.WARNING);
        assertEquals(1, warnings.size(), logged.toString());
        assertTrue(warnings.get(0).startsWith("Redis maxmemory-policy is volatile-lru:"), warnings.get(0));
    }
}
