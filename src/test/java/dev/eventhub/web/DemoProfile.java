package dev.eventhub.web;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The hub on its embedded store with the demo on, at 2 demo publishes per second (burst 4). */
public class DemoProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "realtime.store", "memory",
                "realtime.publish-keys", TestKeys.PUBLISH_KEY,
                "realtime.demo", "true",
                "realtime.demo-publish-rate", "2");
    }
}
