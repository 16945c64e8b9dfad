package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Presence while the store is unreachable: 503 for the API; a stream opens, ends, and the browser retries. */
@QuarkusTest
@TestProfile(RedisDownProfile.class)
class RedisDownPresenceTest {

    @TestHTTPResource("/api/subscribe/trip/1/presence?viewer=ann")
    URL stream;

    @Test
    void trackListAndRemoveGet503WithRetryAfter() {
        asPublisher()
                .put("/api/presence/trip/1/viewers/ann")
                .then()
                .statusCode(503)
                .header("Retry-After", "2")
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:store-unavailable"));
        given().get("/api/presence/trip/1").then().statusCode(503).header("Retry-After", "2");
        asPublisher().delete("/api/presence/trip/1/viewers/ann").then().statusCode(503);
    }

    @Test
    void aPresenceStreamOpensWithRetryThenEndsSoTheBrowserTriesAgain() {
        try (SseClient sse = SseClient.open(URI.create(stream.toString()))) {
            assertEquals(200, sse.status(), "an EventSource gives up for good on an error status");
            Await.until("the stream ended", sse::ended);
            assertEquals(":\nretry:2000\n\n", sse.text());
        }
    }
}
