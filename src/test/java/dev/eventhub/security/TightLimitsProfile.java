package dev.eventhub.security;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Limits small enough to reach in a test: 3 publishes then one per 5 s per key, 2 open streams. */
public class TightLimitsProfile implements QuarkusTestProfile {

    public static final int BURST = 3;
    public static final int MAX_OPEN = 2;
    public static final int FULL_RETRY_AFTER_SECONDS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "realtime.store",
                "memory",
                "realtime.publish-keys",
                TestKeys.PUBLISH_KEY + "," + TestKeys.NEXT_KEY,
                "realtime.publish.rate",
                "0.2",
                "realtime.publish.burst",
                String.valueOf(BURST),
                "realtime.stream.max-open",
                String.valueOf(MAX_OPEN),
                "realtime.stream.full-retry-after",
                FULL_RETRY_AFTER_SECONDS + "s");
    }
}
