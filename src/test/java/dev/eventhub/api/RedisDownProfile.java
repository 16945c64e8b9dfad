package dev.eventhub.api;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** The hub configured for a Redis that does not answer: a port nothing listens on. */
public class RedisDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "realtime.store",
                "redis",
                "quarkus.redis.hosts",
                "redis://127.0.0.1:" + closedPort,
                "realtime.publish-keys",
                TestKeys.PUBLISH_KEY);
    }
}
