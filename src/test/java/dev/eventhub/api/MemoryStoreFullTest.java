package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The in-memory store at {@code realtime.memory.max-topics}: a new topic is refused, held ones are not. */
@QuarkusTest
@TestProfile(MemoryStoreFullTest.TwoTopics.class)
class MemoryStoreFullTest {

    public static class TwoTopics extends MemoryProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("realtime.memory.max-topics", "2");
            overrides.put("realtime.history.ttl", "1h");
            return overrides;
        }
    }

    private static ValidatableResponse publish(String topic) {
        return asPublisher()
                .contentType("application/json")
                .body("{\"action\":\"liked\",\"userId\":\"u1\",\"count\":1}")
                .when()
                .post("/api/publish/" + topic)
                .then();
    }

    @Test
    void aPublishToATopicBeyondMaxTopicsGets503ProblemWithRetryAfterWhileHeldTopicsStillTakeEvents() {
        String first = "trip/" + UUID.randomUUID() + "/likes";
        String second = "trip/" + UUID.randomUUID() + "/likes";
        publish(first).statusCode(201);
        publish(second).statusCode(201);

        publish("trip/" + UUID.randomUUID() + "/likes")
                .statusCode(503)
                .contentType("application/problem+json")
                .header(
                        "Retry-After",
                        Integer::parseInt,
                        both(greaterThan(3000)).and(lessThanOrEqualTo(3600)))
                .body("type", equalTo("urn:event-hub:problem:store-full"));

        publish(first).statusCode(201);
        publish(second).statusCode(201);
    }
}
