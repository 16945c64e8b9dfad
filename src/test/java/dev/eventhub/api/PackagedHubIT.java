package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged application (the jar, or the native binary when built with -Dnative): the wire
 * format, resume, errors, health and metrics, through a real port only. It runs with the memory
 * store and the tests' publish key ({@link MemoryProfile}).
 */
@QuarkusIntegrationTest
@TestProfile(MemoryProfile.class)
class PackagedHubIT {

    @TestHTTPResource("/")
    URL base;

    private URI stream(String topic) {
        return URI.create(base.toString().replaceAll("/$", "") + "/api/subscribe/" + topic);
    }

    private static String publish(String topic, int n) {
        return asPublisher()
                .contentType("application/json")
                .body("{\"action\":\"new_comment\",\"comment\":{\"id\":" + n + "}}")
                .post("/api/publish/" + topic)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void aSubscriberReceivesAPublishedEventWithItsIdAndOneDataLine() {
        String topic = "trip/" + UUID.randomUUID() + "/comments";
        try (SseClient sse = SseClient.open(stream(topic))) {
            String opened = sse.awaitText(":\nretry:2000\n\n:\nid:0-0\n\n");
            String id = publish(topic, 1);
            String data = sse.awaitData(1).get(0);
            assertEquals(opened + "id:" + id + "\ndata:" + data + "\n\n", sse.text());
            given().get("/api/history/" + topic).then().body("events[0].id", equalTo(id));
        }
    }

    @Test
    void aReconnectingBrowserGetsExactlyWhatItMissed() {
        String topic = "trip/" + UUID.randomUUID() + "/comments";
        String first = publish(topic, 1);
        publish(topic, 2);
        try (SseClient sse = SseClient.open(stream(topic), Map.of("Last-Event-ID", first))) {
            assertEquals(1, sse.awaitData(1).size());
        }
    }

    @ParameterizedTest(name = "{3} {4}")
    @MethodSource("dev.eventhub.api.HubApiContract#badRequests")
    void badInputGetsAProblem(String topic, String contentType, String body, int status, String type) {
        asPublisher()
                .contentType(contentType)
                .body(body)
                .post("/api/publish/" + topic)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:" + type));
    }

    @Test
    void healthAndMetricsAnswer() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
