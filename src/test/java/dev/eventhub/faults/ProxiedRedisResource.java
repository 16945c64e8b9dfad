package dev.eventhub.faults;

import dev.eventhub.support.RedisServerProcess;
import dev.eventhub.support.TcpProxy;
import dev.eventhub.support.TestRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * A redis-server of the test's own (with a replica, {@code redis-server --replicaof}, when the
 * profile asks for one) and the hub connected to it through a {@link TcpProxy}: one address, as a
 * managed Redis gives, that a test can partition, heal or fail over to the replica. The profile's
 * other init args are config overrides.
 */
public class ProxiedRedisResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg: "true" to start a replica of the primary. */
    static final String REPLICA = "replica";

    static volatile RedisServerProcess primary;
    static volatile RedisServerProcess replica;
    static volatile TcpProxy proxy;
    static volatile String prefix;

    private final Map<String, String> overrides = new HashMap<>();
    private boolean withReplica;

    @Override
    public void init(Map<String, String> args) {
        withReplica = Boolean.parseBoolean(args.get(REPLICA));
        overrides.putAll(args);
        overrides.remove(REPLICA);
    }

    @Override
    public Map<String, String> start() {
        primary = RedisServerProcess.start();
        replica = withReplica ? RedisServerProcess.startReplicaOf(primary) : null;
        proxy = TcpProxy.to(primary.port());
        prefix = TestRedis.uniquePrefix();
        Map<String, String> config = new HashMap<>(overrides);
        config.put("realtime.store", "redis");
        config.put("quarkus.redis.hosts", proxy.url());
        config.put("realtime.redis.key-prefix", prefix);
        config.put("realtime.heartbeat", "200ms");
        return config;
    }

    @Override
    public void stop() {
        for (AutoCloseable running : new AutoCloseable[] {proxy, replica, primary}) {
            try {
                if (running != null) {
                    running.close();
                }
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
    }
}
