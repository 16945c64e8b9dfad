package dev.eventhub.security;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** A deployment that forgot its settings fails closed: a temporary key only, no cross-origin grant. */
@QuarkusTest
@TestProfile(DefaultsProfile.class)
class SafeDefaultsTest {

    private static final String COMMENT = "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\"}}";

    @Inject
    PublishKeys keys;

    @Test
    void withNoKeyConfiguredOnlyTheGeneratedTemporaryKeyPublishes() {
        String generated = keys.generatedKey().orElseThrow();
        given().contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/trip/1/comments")
                .then()
                .statusCode(401);
        asPublisher(TestKeys.PUBLISH_KEY)
                .contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/trip/1/comments")
                .then()
                .statusCode(401);
        asPublisher(generated)
                .contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/trip/1/comments")
                .then()
                .statusCode(201);
        assertEquals(1, keys.size());
    }

    @Test
    void withNoOriginConfiguredNoOtherOriginGetsACorsGrant() {
        given().header("Origin", "https://anywhere.example")
                .header("Access-Control-Request-Method", "GET")
                .options("/api/subscribe/trip/1/comments")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://anywhere.example")
                .get("/api/history/trip/1/comments")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void publicTopicsNeedNoToken() {
        given().get("/api/history/blog/1/comments").then().statusCode(200);
    }
}
