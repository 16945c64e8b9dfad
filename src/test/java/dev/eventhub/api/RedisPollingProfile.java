package dev.eventhub.api;

import dev.eventhub.support.TestKeys;
import dev.eventhub.support.TestRedis;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The hub on the test Redis with pub/sub off: every delivery comes from polling. */
public class RedisPollingProfile implements QuarkusTestProfile {

    public static final String PREFIX = TestRedis.uniquePrefix();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "realtime.store",
                "redis",
                "quarkus.redis.hosts",
                TestRedis.URL,
                "realtime.redis.key-prefix",
                PREFIX,
                "realtime.notify",
                "none",
                "realtime.publish-keys",
                TestKeys.PUBLISH_KEY);
    }
}
