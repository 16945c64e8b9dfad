package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** While the store is unreachable: 503 with Retry-After for reads and writes; streams still open. */
@QuarkusTest
@TestProfile(RedisDownProfile.class)
class RedisDownTest {

    @TestHTTPResource("/api/subscribe/trip/1/comments")
    URL stream;

    @Test
    void publishGets503WithRetryAfterAsAProblem() {
        asPublisher()
                .contentType("application/json")
                .body("{\"action\":\"new_comment\",\"comment\":{\"id\":1}}")
                .post("/api/publish/trip/1/comments")
                .then()
                .statusCode(503)
                .header("Retry-After", "2")
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:store-unavailable"));
    }

    @Test
    void historyGets503WithRetryAfter() {
        given().get("/api/history/trip/1/comments").then().statusCode(503).header("Retry-After", "2");
    }

    @Test
    void badInputIsStill4xxNot503() {
        asPublisher()
                .contentType("application/json")
                .body("{")
                .post("/api/publish/trip/1/comments")
                .then()
                .statusCode(400);
    }

    @Test
    void aStreamStillOpensAndWaitsForTheStore() throws Exception {
        try (SseClient sse = SseClient.open(URI.create(stream.toString()))) {
            assertEquals(200, sse.status());
            assertEquals(":\nretry:2000\n\n", sse.awaitText(":\nretry:2000\n\n"));
        }
    }
}
