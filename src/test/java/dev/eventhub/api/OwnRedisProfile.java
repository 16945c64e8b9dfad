package dev.eventhub.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The hub on a redis-server that the test controls (see {@link OwnRedisResource}). */
public class OwnRedisProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OwnRedisResource.class));
    }
}
