package dev.eventhub.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** The publish key every test profile configures, and the way tests send it. */
public final class TestKeys {

    /** Configured as {@code realtime.publish-keys} by the test profiles. Long enough not to be warned about. */
    public static final String PUBLISH_KEY = "test-publish-key-5f2c9a7e1b3d4c6a";

    /** A second key, configured beside the first where a test shows rotation or per-key limits. */
    public static final String NEXT_KEY = "test-publish-key-next-08d1e6b2a4c3";

    private TestKeys() {}

    /** A REST Assured request that carries the publish key, as the app's server sends it. */
    public static RequestSpecification asPublisher() {
        return asPublisher(PUBLISH_KEY);
    }

    public static RequestSpecification asPublisher(String key) {
        return RestAssured.given().header("Authorization", "Bearer " + key);
    }
}
