package dev.eventhub.faults;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The hub on a Redis behind a proxy that black-holes connections, with a 1 s store timeout and a 500 ms subscription check. */
public class PartitionedRedisProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("realtime.publish-keys", TestKeys.PUBLISH_KEY);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(
                ProxiedRedisResource.class,
                Map.of(
                        "realtime.store.timeout",
                        PartitionTest.STORE_TIMEOUT_MILLIS + "ms",
                        "realtime.notify-ping-interval",
                        "500ms")));
    }
}
