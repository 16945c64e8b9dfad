package dev.eventhub.api;

import dev.eventhub.support.RedisCluster;
import dev.eventhub.support.TestKeys;
import dev.eventhub.support.TestRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The hub on the JVM's local 3-master Redis Cluster, configured as documented:
 * {@code QUARKUS_REDIS_CLIENT_TYPE=cluster} and the seed nodes, comma-separated, in {@code REDIS_URL}.
 */
public class ClusterProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("realtime.publish-keys", TestKeys.PUBLISH_KEY);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Cluster.class));
    }

    /** Points the hub at the shared cluster (started on first use, stopped with the JVM). */
    public static class Cluster implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return Map.of(
                    "realtime.store",
                    "redis",
                    "quarkus.redis.hosts",
                    RedisCluster.shared().urls(),
                    "quarkus.redis.client-type",
                    "cluster",
                    "realtime.redis.key-prefix",
                    TestRedis.uniquePrefix());
        }

        @Override
        public void stop() {}
    }
}
