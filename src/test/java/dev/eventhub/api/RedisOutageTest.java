package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis stops mid-stream and comes back: the service stays up, streams keep their heartbeats,
 * publishes get 503 meanwhile, readiness follows the store, and every acknowledged event reaches
 * the open stream exactly once, in order.
 */
@QuarkusTest
@TestProfile(OwnRedisProfile.class)
class RedisOutageTest {

    private static final String TOPIC = "trip/outage/comments";

    @TestHTTPResource("/api/subscribe/" + TOPIC)
    URL stream;

    private static int publish(int n) {
        return asPublisher()
                .contentType("application/json")
                .body("{\"action\":\"new_comment\",\"comment\":{\"id\":" + n + "}}")
                .post("/api/publish/" + TOPIC)
                .statusCode();
    }

    @Test
    void aRedisRestartLosesNoAcknowledgedEventAndStreamsStayOpen() {
        try (SseClient sse = SseClient.open(URI.create(stream.toString()))) {
            sse.awaitText(":\nretry:2000\n\n:\nid:0-0\n\n");
            List<Integer> acknowledged = new ArrayList<>();
            for (int n = 1; n <= 5; n++) {
                assertEquals(201, publish(n));
                acknowledged.add(n);
            }
            sse.awaitData(5);

            OwnRedisResource.server.kill();
            given().get("/q/health/ready").then().statusCode(503);
            given().get("/q/health/live").then().statusCode(200);
            Await.until("a publish during the outage is refused, not acknowledged", () -> publish(100) == 503);
            asPublisher()
                    .contentType("application/json")
                    .body("{\"action\":\"new_comment\",\"comment\":{\"id\":101}}")
                    .post("/api/publish/" + TOPIC)
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "2");
            int heartbeatsBefore = heartbeats(sse.text());
            Await.until(
                    "heartbeats continue during the outage",
                    Duration.ofSeconds(5),
                    () -> heartbeats(sse.text()) >= heartbeatsBefore + 2);

            OwnRedisResource.server.restart();
            Await.until(
                    "ready again",
                    Duration.ofSeconds(15),
                    () -> given().get("/q/health/ready").statusCode() == 200);
            for (int n = 6; n <= 10; n++) {
                int status = publish(n);
                assertEquals(201, status, "publish " + n + " after the restart");
                acknowledged.add(n);
            }
            List<String> data = sse.awaitData(10);
            List<Integer> received = data.stream()
                    .map(d -> Integer.parseInt(d.replaceAll(".*\"comment\":\\{\"id\":(\\d+)\\}.*", "$1")))
                    .toList();
            assertEquals(acknowledged, received, "every acknowledged event once, in order; none refused");
            assertEquals(10, sse.text().split("\ndata:").length - 1, "no duplicate");
        }
    }

    @Test
    void metricsListTheHubsCounters() {
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("eventhub_streams_open"))
                .body(containsString("eventhub_topics_active"))
                .body(containsString("eventhub_events_published_total"))
                .body(containsString("eventhub_events_delivered_total"))
                .body(containsString("eventhub_resumes_total"))
                .body(containsString("eventhub_resyncs_total"))
                .body(containsString("eventhub_slow_consumer_disconnects_total"))
                .body(containsString("eventhub_store_round_trips_seconds_count{op=\"heads\"}"))
                .body(containsString("eventhub_store_errors_total"));
    }

    private static int heartbeats(String text) {
        int count = 0;
        for (String frame : text.split("\n\n")) {
            if (frame.equals(":")) {
                count++;
            }
        }
        return count;
    }
}
