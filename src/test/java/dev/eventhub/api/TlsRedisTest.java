package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} with an ACL user and a private CA from the TLS registry, nothing else: every
 * connection the hub opens (publishes, the pub/sub notifier, presence) works over it. Without
 * {@code RedisTlsDefaults} every publish here is a 503 ("Missing hostname verification algorithm").
 */
@QuarkusTest
@TestProfile(TlsRedisProfile.class)
class TlsRedisTest {

    @TestHTTPResource("/")
    URL base;

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    @Test
    void publishesAndStreamsOverTlsWithAnAclUser() {
        String topic = "trip/tls/comments";
        try (SseClient sse = SseClient.open(uri("/api/subscribe/" + topic))) {
            sse.awaitText(":\nretry:2000\n\n:\nid:0-0\n\n");
            asPublisher()
                    .contentType("application/json")
                    .body("{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\"}}")
                    .post("/api/publish/" + topic)
                    .then()
                    .statusCode(201);
            // Polling is at ten minutes: the event comes through the notifier's own TLS connection.
            List<String> data = sse.awaitData(1);
            assertTrue(data.get(0).contains("\"comment\":{\"id\":\"c1\"}"), data.toString());
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void presenceWorksOverTls() {
        try (SseClient viewer = SseClient.open(uri("/api/subscribe/trip/tls-presence/presence?viewer=ann&name=Ann"))) {
            viewer.awaitData(1);
            given().get("/api/presence/trip/tls-presence")
                    .then()
                    .statusCode(200)
                    .body("count", equalTo(1))
                    .body("viewers[0].id", equalTo("ann"));
        }
    }
}
