package dev.eventhub.api;

import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.TestRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a redis-server of the test's own, which the test may kill and restart. */
public class OwnRedisResource implements QuarkusTestResourceLifecycleManager {

    static volatile RedisServerProcess server;

    @Override
    public Map<String, String> start() {
        server = RedisServerProcess.start();
        return Map.of(
                "realtime.store",
                "redis",
                "quarkus.redis.hosts",
                server.url(),
                "realtime.redis.key-prefix",
                TestRedis.uniquePrefix(),
                "realtime.heartbeat",
                "200ms");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
