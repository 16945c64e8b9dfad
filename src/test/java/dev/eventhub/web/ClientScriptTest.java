package dev.eventhub.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.eventhub.api.MemoryProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code /realtime.js} is clients/js/realtime.js itself, cacheable; the demo is off unless asked for. */
@QuarkusTest
@TestProfile(MemoryProfile.class)
class ClientScriptTest {

    @Test
    void servesTheClientsOwnFileAsJavaScriptWithAnEtag() throws Exception {
        Response response = given().get("/realtime.js");
        response.then()
                .statusCode(200)
                .header("Content-Type", startsWith("text/javascript"))
                .header("Cache-Control", equalTo("public, max-age=300"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("ETag", startsWith("\""));
        assertArrayEquals(Files.readAllBytes(Path.of("clients/js/realtime.js")), response.asByteArray());
    }

    @Test
    void answers304ToItsOwnEtagAnd200ToAnyOther() {
        String etag = given().get("/realtime.js").header("ETag");
        given().header("If-None-Match", etag)
                .get("/realtime.js")
                .then()
                .statusCode(304)
                .header("ETag", equalTo(etag))
                .body(emptyString());
        given().header("If-None-Match", "\"other\", W/" + etag)
                .get("/realtime.js")
                .then()
                .statusCode(304);
        given().header("If-None-Match", "\"other\"").get("/realtime.js").then().statusCode(200);
    }

    @Test
    void withTheDemoOffNeitherItsPageNorItsPublishEndpointExists() {
        given().get("/demo").then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/json")
                .body("{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\"}}")
                .post("/demo/publish/demo/comments")
                .then()
                .statusCode(404);
        given().get("/api/history/trip/demo/comments").then().statusCode(200).body("events", hasSize(0));
    }
}
