package dev.eventhub.faults;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The hub on a primary with a replica, through a proxy (see {@link ReplicatedRedisResource}). */
public class ReplicatedRedisProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("realtime.publish-keys", TestKeys.PUBLISH_KEY);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ReplicatedRedisResource.class));
    }
}
