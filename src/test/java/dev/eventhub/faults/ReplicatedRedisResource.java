package dev.eventhub.faults;

import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.TcpProxy;
import dev.eventhub.support.TestRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A primary and a replica of the test's own ({@code redis-server --replicaof} on free ports), with
 * the hub connected through a {@link TcpProxy} in front of the primary: one address, as a managed
 * Redis gives, that a test can fail over to the replica or partition.
 */
public class ReplicatedRedisResource implements QuarkusTestResourceLifecycleManager {

    static volatile RedisServerProcess primary;
    static volatile RedisServerProcess replica;
    static volatile TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        primary = RedisServerProcess.start();
        replica = RedisServerProcess.startReplicaOf(primary);
        proxy = TcpProxy.to(primary.port());
        return Map.of(
                "realtime.store",
                "redis",
                "quarkus.redis.hosts",
                proxy.url(),
                "realtime.redis.key-prefix",
                TestRedis.uniquePrefix(),
                "realtime.heartbeat",
                "200ms");
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (replica != null) {
            replica.close();
        }
        if (primary != null) {
            primary.close();
        }
    }
}
