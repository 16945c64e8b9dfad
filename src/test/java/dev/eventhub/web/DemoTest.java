package dev.eventhub.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * With {@code realtime.demo=true}: the page, and a keyless publish endpoint confined to the demo's
 * topics, its rate and the usual validation; the real publish API still needs a key.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoTest {

    private static final String COMMENT = "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\",\"text\":\"hi\"}}";

    @Test
    void servesTheTripPageBuiltOnRealtimeJs() {
        given().get("/demo")
                .then()
                .statusCode(200)
                .header("Content-Type", startsWith("text/html"))
                .header("Cache-Control", equalTo("no-cache"))
                .body(containsString("from '/realtime.js'"));
    }

    @Test
    void publishesOnADemoTopicWithoutAKey() {
        given().contentType("application/json")
                .body(COMMENT)
                .post("/demo/publish/demo-one/comments")
                .then()
                .statusCode(201)
                .body("topic", equalTo("trip/demo-one/comments"));
        given().get("/api/history/trip/demo-one/comments")
                .then()
                .body("events", hasSize(1))
                .body("events[0].data.comment.text", equalTo("hi"));
    }

    @Test
    void refusesEveryTopicButTheDemosAndPresence() {
        for (String path :
                new String[] {"/demo/publish/123/comments", "/demo/publish/demox/likes", "/demo/publish/demo/presence"
                }) {
            given().contentType("application/json")
                    .body(COMMENT)
                    .post(path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        given().get("/api/history/trip/123/comments").then().body("events", hasSize(0));
    }

    @Test
    void validatesEventsAsAnyPublishDoes() {
        given().contentType("application/json")
                .body("{\"action\":\"liked\",\"userId\":\"u\",\"count\":1.5}")
                .post("/demo/publish/demo/likes")
                .then()
                .statusCode(422);
        given().contentType("text/plain")
                .body(COMMENT)
                .post("/demo/publish/demo/comments")
                .then()
                .statusCode(415);
    }

    @Test
    void thePublishApiStillNeedsAKeyForTheDemosTopics() {
        given().contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/trip/demo/comments")
                .then()
                .statusCode(401);
    }

    /** Last: it empties the demo's one rate bucket, which the other tests' publishes share. */
    @Test
    @Order(Integer.MAX_VALUE)
    void beyondItsRateTheDemoEndpointAnswers429() {
        boolean limited = false;
        for (int i = 0; i < 12 && !limited; i++) {
            int status = given().contentType("application/json")
                    .body(COMMENT)
                    .post("/demo/publish/demo-rate/comments")
                    .then()
                    .extract()
                    .statusCode();
            limited = status == 429;
        }
        assertTrue(limited, "12 publishes at once against a burst of 4 must meet the limit");
    }
}
