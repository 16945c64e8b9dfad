package dev.eventhub.api;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The hub on its embedded store. */
public class MemoryProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("realtime.store", "memory", "realtime.publish-keys", TestKeys.PUBLISH_KEY);
    }
}
