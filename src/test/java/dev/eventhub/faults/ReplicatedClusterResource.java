package dev.eventhub.faults;

import dev.eventhub.support.RedisCluster;
import dev.eventhub.support.TestRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A Redis Cluster of the test's own, 3 masters with one replica each, which the test may fail over
 * or kill nodes of; the hub is pointed at it as documented (cluster client type, seed nodes). Its
 * nodes are stopped with the app, and by a shutdown hook should the app never start.
 */
public class ReplicatedClusterResource implements QuarkusTestResourceLifecycleManager {

    static volatile RedisCluster cluster;
    static volatile String prefix;

    @Override
    public Map<String, String> start() {
        cluster = RedisCluster.start(3, 1);
        prefix = TestRedis.uniquePrefix();
        return Map.of(
                "realtime.store",
                "redis",
                "quarkus.redis.hosts",
                cluster.urls(),
                "quarkus.redis.client-type",
                "cluster",
                "realtime.redis.key-prefix",
                prefix);
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
