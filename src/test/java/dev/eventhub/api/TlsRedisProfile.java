package dev.eventhub.api;

import dev.eventhub.support.TestKeys;
import dev.eventhub.support.TestRedis;
import dev.eventhub.support.TlsRedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The hub on a TLS-only redis-server with an ACL user and a private CA, configured as a user would:
 * {@code rediss://user:password@localhost:port} and the CA through Quarkus's TLS registry, with no
 * host name verification algorithm named (the hub's default applies). Polling is slowed to ten
 * minutes, so an event that arrives in time came through the pub/sub connection.
 */
public class TlsRedisProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "realtime.publish-keys",
                TestKeys.PUBLISH_KEY,
                "realtime.poll-interval",
                "10m",
                "realtime.poll-max-interval",
                "10m");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }

    /** Starts the TLS redis-server and points the hub at it. */
    public static class Server implements QuarkusTestResourceLifecycleManager {

        static volatile TlsRedisServer server;

        @Override
        public Map<String, String> start() {
            server = TlsRedisServer.start();
            return Map.of(
                    "realtime.store",
                    "redis",
                    "quarkus.redis.hosts",
                    server.url("localhost"),
                    "quarkus.redis.tls-configuration-name",
                    "redis",
                    "quarkus.tls.redis.trust-store.pem.certs",
                    server.caCertificate().toString(),
                    "realtime.redis.key-prefix",
                    TestRedis.uniquePrefix());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }
}
