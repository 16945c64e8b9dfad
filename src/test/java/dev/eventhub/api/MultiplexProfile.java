package dev.eventhub.api;

import dev.eventhub.support.TestKeys;
import dev.eventhub.support.TestRedis;
import dev.eventhub.support.Tokens;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub for the multiplexed-stream suite: blogs private (tokens signed with {@link Tokens#SECRET},
 * 1 s clock skew so expiry is quick), on the store each subclass names.
 */
public abstract class MultiplexProfile implements QuarkusTestProfile {

    protected Map<String, String> common() {
        Map<String, String> config = new HashMap<>();
        config.put("realtime.publish-keys", TestKeys.PUBLISH_KEY);
        config.put("realtime.private-types", "blog");
        config.put("realtime.token-secret", Tokens.SECRET);
        config.put("realtime.token-clock-skew", "1s");
        return config;
    }

    /** On the embedded store. */
    public static class Memory extends MultiplexProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = common();
            config.put("realtime.store", "memory");
            return config;
        }
    }

    /** On the test Redis, under a key prefix of its own. */
    public static class Redis extends MultiplexProfile {
        public static final String PREFIX = TestRedis.uniquePrefix();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = common();
            config.put("realtime.store", "redis");
            config.put("quarkus.redis.hosts", TestRedis.URL);
            config.put("realtime.redis.key-prefix", PREFIX);
            return config;
        }
    }
}
