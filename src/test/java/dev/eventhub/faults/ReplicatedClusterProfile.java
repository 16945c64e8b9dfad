package dev.eventhub.faults;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The hub on a 3-master cluster with a replica per master, acknowledging a publish only once a
 * replica has it ({@code realtime.publish.min-replicas=1}). History holds more than a test
 * publishes, so every acknowledged event can be looked for afterwards.
 */
public class ReplicatedClusterProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "realtime.publish-keys",
                TestKeys.PUBLISH_KEY,
                "realtime.publish.min-replicas",
                "1",
                "realtime.history.size",
                "2000");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ReplicatedClusterResource.class));
    }
}
