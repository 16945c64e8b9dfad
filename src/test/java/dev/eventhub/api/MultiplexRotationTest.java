package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.fanout.Fanout;
import dev.eventhub.support.Await;
import dev.eventhub.support.EventSourceClient;
import dev.eventhub.support.TestKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * End to end: an EventSource-like client on a multiplexed stream whose lifetime is short, so the
 * hub ends it again and again while events are published on every topic; the client reconnects by
 * itself with {@code Last-Event-ID}, and gets every event of every topic once, in order.
 */
@QuarkusTest
@TestProfile(MultiplexRotationTest.ShortLifetime.class)
class MultiplexRotationTest {

    public static class ShortLifetime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "realtime.store", "memory",
                    "realtime.publish-keys", TestKeys.PUBLISH_KEY,
                    "realtime.stream.max-lifetime", "700ms",
                    "realtime.retry", "50ms");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANNELS = List.of("comments", "likes", "rating");

    @TestHTTPResource("/")
    URL base;

    @Inject
    Fanout fanout;

    private static String body(String channel, int n) {
        return switch (channel) {
            case "likes" -> "{\"action\":\"liked\",\"userId\":\"u\",\"count\":" + n + "}";
            case "rating" -> "{\"action\":\"rating_updated\",\"rating\":{\"average\":4.5,\"count\":" + n + "}}";
            default -> "{\"action\":\"new_comment\",\"comment\":{\"id\":\"" + n + "\"}}";
        };
    }

    private static int number(JsonNode event) {
        return switch (event.get("channel").asText()) {
            case "likes" -> event.get("count").asInt();
            case "rating" -> event.get("rating").get("count").asInt();
            default -> event.get("comment").get("id").asInt();
        };
    }

    @Test
    void aReconnectingClientGetsEveryEventOfEveryTopicOnceAcrossLifetimeRotations() throws Exception {
        String entity = "trip/" + UUID.randomUUID();
        URI uri = URI.create(base.toString().replaceAll("/$", "") + "/api/subscribe?topic=" + entity
                + "/comments&topic=" + entity + "/likes&topic=" + entity + "/rating");
        int perTopic = 120;
        try (EventSourceClient client = new EventSourceClient(uri)) {
            Await.until("connected", () -> client.connections() == 1 && fanout.openStreams() >= 1);
            Await.until("positioned", () -> client.lastEventId().startsWith("1."));
            for (int n = 1; n <= perTopic; n++) {
                for (String channel : CHANNELS) {
                    asPublisher()
                            .contentType("application/json")
                            .body(body(channel, n))
                            .post("/api/publish/" + entity + "/" + channel)
                            .then()
                            .statusCode(201);
                }
                Thread.sleep(25); // pacing, so the publishing spans several lifetimes
            }
            Await.until(
                    "all " + (perTopic * CHANNELS.size()) + " events",
                    () -> client.messages().size() >= perTopic * CHANNELS.size());
            Map<String, List<Integer>> received = new HashMap<>();
            for (EventSourceClient.Message message : client.messages()) {
                JsonNode event = JSON.readTree(message.data());
                received.computeIfAbsent(event.get("channel").asText(), c -> new ArrayList<>())
                        .add(number(event));
            }
            List<Integer> expected = IntStream.rangeClosed(1, perTopic).boxed().toList();
            for (String channel : CHANNELS) {
                assertEquals(expected, received.get(channel), channel + ": every event once, in order");
            }
            assertEquals(perTopic * CHANNELS.size(), client.messages().size(), "nothing else, nothing twice");
            assertTrue(client.connections() >= 4, "the stream rotated: " + client.connections() + " connections");
        }
    }
}
