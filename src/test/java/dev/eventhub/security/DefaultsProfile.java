package dev.eventhub.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The hub with no security setting at all, as the README's run command starts it. */
public class DefaultsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("realtime.store", "memory");
    }
}
