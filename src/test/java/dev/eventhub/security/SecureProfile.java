package dev.eventhub.security;

import dev.eventhub.support.TestKeys;
import dev.eventhub.support.Tokens;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The hub as a deployment that uses every protection: two publish keys (mid-rotation), blogs and
 * posts private, tokens signed with {@link Tokens#SECRET} (1 s clock skew, so expiry tests are
 * quick), and one web origin allowed.
 */
public class SecureProfile implements QuarkusTestProfile {

    public static final String ORIGIN = "https://app.example";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "realtime.store",
                "memory",
                "realtime.publish-keys",
                TestKeys.PUBLISH_KEY + "," + TestKeys.NEXT_KEY,
                "realtime.private-types",
                "blog,post",
                "realtime.token-secret",
                Tokens.SECRET,
                "realtime.token-clock-skew",
                "1s",
                "quarkus.http.cors.origins",
                ORIGIN);
    }
}
