package dev.eventhub.security;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The hub with HTTP access logs on, with the pattern application.properties sets. */
public class AccessLogProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "realtime.store",
                "memory",
                "realtime.publish-keys",
                TestKeys.PUBLISH_KEY,
                "quarkus.http.access-log.enabled",
                "true");
    }
}
