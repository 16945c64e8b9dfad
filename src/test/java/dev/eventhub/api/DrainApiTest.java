package dev.eventhub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.fanout.Fanout;
import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The drain as a browser meets it: an open stream ends with a retry hint, and a stream opened
 * after the drain began is refused with 503 {@code draining}. Its own profile, since a drained hub
 * stays drained.
 */
@QuarkusTest
@TestProfile(DrainApiTest.OwnHub.class)
class DrainApiTest {

    /** The hub of {@link MemoryProfile}, but its own: a drained hub stays drained. */
    public static class OwnHub extends MemoryProfile {}

    @TestHTTPResource("/")
    URL base;

    @Inject
    Fanout fanout;

    @Test
    void aStreamOpenedAfterTheDrainBeganGets503DrainingWhileOpenOnesEndWithARetryHint() throws Exception {
        String id = UUID.randomUUID().toString();
        String path = "trip/" + id + "/comments";
        URI uri = URI.create(base.toString().replaceAll("/$", "") + "/api/subscribe/" + path);
        try (SseClient open = SseClient.open(uri)) {
            open.awaitText(":\nretry:2000\n\n");
            Await.until(
                    "the stream live",
                    () -> fanout.liveSubscribers(new Topic(EntityType.TRIP, id, Channel.COMMENTS)) == 1);

            fanout.drain(Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);

            Await.until("the open stream ended", open::ended);
            assertTrue(open.text().matches("(?s).*\n\n:\nretry:2\\d{3}\n\n$"), open.text());
        }
        // Read as a browser would, so that a stream wrongly opened fails the test instead of hanging it.
        for (URI after :
                List.of(uri, URI.create(base.toString().replaceAll("/$", "") + "/api/subscribe?topic=" + path))) {
            try (SseClient refused = SseClient.open(after)) {
                assertEquals(503, refused.status(), after.toString());
                assertTrue(
                        refused.header("Content-Type").startsWith("application/problem+json"),
                        refused.header("Content-Type"));
                assertEquals("1", refused.header("Retry-After"));
                Await.until("the problem read", refused::ended);
                assertTrue(refused.text().contains("\"type\":\"urn:event-hub:problem:draining\""), refused.text());
            }
        }
    }
}
