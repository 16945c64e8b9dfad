package dev.eventhub.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Browsers on other origins: the listed one may read, with credentials (the token cookie); others get no grant. */
@QuarkusTest
@TestProfile(SecureProfile.class)
class CorsTest {

    @Test
    void aListedOriginGetsACorsGrantWithCredentials() {
        given().header("Origin", SecureProfile.ORIGIN)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,last-event-id")
                .options("/api/subscribe/blog/1/comments")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", SecureProfile.ORIGIN)
                .header("Access-Control-Allow-Credentials", "true");
        given().header("Origin", SecureProfile.ORIGIN)
                .get("/api/history/trip/1/comments")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", SecureProfile.ORIGIN)
                .header("Access-Control-Allow-Credentials", "true");
    }

    @Test
    void anUnlistedOriginGetsNoCorsGrant() {
        int preflight = given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .options("/api/subscribe/trip/1/comments")
                .then()
                .header("Access-Control-Allow-Origin", nullValue())
                .extract()
                .statusCode();
        assertNotEquals(500, preflight);
        given().header("Origin", "https://evil.example")
                .get("/api/history/trip/1/comments")
                .then()
                .header("Access-Control-Allow-Origin", nullValue())
                .statusCode(not(equalTo(200)));
        given().header("Origin", "https://app.example.evil.example")
                .get("/api/history/trip/1/comments")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void browsersAreNotGrantedPublishing() {
        given().header("Origin", SecureProfile.ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .options("/api/publish/trip/1/comments")
                .then()
                .header("Access-Control-Allow-Methods", not(containsString("POST")));
    }
}
