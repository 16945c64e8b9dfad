package dev.eventhub.security;

import static dev.eventhub.support.TestKeys.asPublisher;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.fanout.Fanout;
import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import dev.eventhub.support.TestKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The per-key publish rate (429) and the open-stream cap (503), with their Retry-After. */
@QuarkusTest
@TestProfile(TightLimitsProfile.class)
class LimitsTest {

    private static final String COMMENT = "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\"}}";

    @TestHTTPResource("/")
    URL base;

    @Inject
    Fanout fanout;

    private URI stream() {
        return URI.create(
                base.toString().replaceAll("/$", "") + "/api/subscribe/trip/" + UUID.randomUUID() + "/comments");
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterWhileAnotherKeyStillPublishes() {
        String topic = "/api/publish/trip/" + UUID.randomUUID() + "/comments";
        for (int i = 0; i < TightLimitsProfile.BURST; i++) {
            asPublisher()
                    .contentType("application/json")
                    .body(COMMENT)
                    .post(topic)
                    .then()
                    .statusCode(201);
        }
        Response refused =
                asPublisher().contentType("application/json").body(COMMENT).post(topic);
        refused.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:rate-limited"))
                .body("status", equalTo(429));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 5, "one publish per 5 s comes back within 5 s: " + retryAfter);
        asPublisher(TestKeys.NEXT_KEY)
                .contentType("application/json")
                .body(COMMENT)
                .post(topic)
                .then()
                .statusCode(201);
    }

    @Test
    void beyondMaxOpenANewStreamGets503WithAJitteredRetryAfterUntilOneCloses() {
        Await.until("no stream left from other tests", () -> fanout.openStreams() == 0);
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < TightLimitsProfile.MAX_OPEN; i++) {
                SseClient sse = SseClient.open(stream());
                assertEquals(200, sse.status());
                open.add(sse);
            }
            Await.until("both streams registered", () -> fanout.openStreams() == TightLimitsProfile.MAX_OPEN);
            Set<Long> retryAfters = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                Response full = RestAssured.given()
                        .accept("text/event-stream")
                        .get(stream().getPath());
                full.then()
                        .statusCode(503)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:event-hub:problem:too-many-streams"));
                long retryAfter = Long.parseLong(full.header("Retry-After"));
                int base = TightLimitsProfile.FULL_RETRY_AFTER_SECONDS;
                assertTrue(retryAfter >= base && retryAfter <= 2 * base, "Retry-After " + retryAfter);
                retryAfters.add(retryAfter);
            }
            assertTrue(retryAfters.size() > 1, "jittered, not one value for everybody: " + retryAfters);
            open.remove(0).close();
            Await.until("a slot is free", () -> fanout.openStreams() < TightLimitsProfile.MAX_OPEN);
            try (SseClient again = SseClient.open(stream())) {
                assertEquals(200, again.status());
            }
        } finally {
            open.forEach(SseClient::close);
        }
    }
}
