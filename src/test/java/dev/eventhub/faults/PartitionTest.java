package dev.eventhub.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import dev.eventhub.support.TestKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A network partition that black-holes the hub's Redis connections (no FIN, nothing answers), then
 * heals: publishes during it answer 503 within the store timeout, and afterwards publishes and the
 * streams already open work again, with no event acknowledged after healing missing.
 */
@QuarkusTest
@TestProfile(PartitionedRedisProfile.class)
class PartitionTest {

    private static final String TOPIC = "trip/partition/comments";
    static final long STORE_TIMEOUT_MILLIS = 1000;

    /** Beyond the store timeout: scheduling on a loaded machine, never a wait for Redis. */
    private static final Duration MARGIN = Duration.ofSeconds(3);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL base;

    @TestHTTPResource("/api/subscribe/" + TOPIC)
    URL stream;

    private HttpResponse<String> publish(int n, Duration within) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/publish/" + TOPIC))
                .timeout(within)
                .header("Authorization", "Bearer " + TestKeys.PUBLISH_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"action\":\"new_comment\",\"comment\":{\"id\":" + n + "}}"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private int ready() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "q/health/ready"))
                .timeout(Duration.ofSeconds(10))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** A status for waits: -1 when the request failed or timed out. */
    private static int status(java.util.concurrent.Callable<Integer> request) {
        try {
            return request.call();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int numsub(String channel) {
        // The topic's own channel, subscribed with SSUBSCRIBE (Redis 7): counted by SHARDNUMSUB.
        String reply = ProxiedRedisResource.primary.call("PUBSUB", "SHARDNUMSUB", channel);
        return Integer.parseInt(reply.substring(reply.lastIndexOf(':') + 1));
    }

    private static List<Integer> comments(SseClient sse) {
        return sse.data().stream()
                .filter(d -> d.contains("\"comment\""))
                .map(d -> Integer.parseInt(d.replaceAll(".*\"comment\":\\{\"id\":(\\d+)\\}.*", "$1")))
                .toList();
    }

    @Test
    void aPartitionFailsPublishesWithinTheTimeoutAndOpenStreamsRecoverAfterItHeals() throws Exception {
        Duration bound = Duration.ofMillis(STORE_TIMEOUT_MILLIS).plus(MARGIN);
        try (SseClient sse = SseClient.open(URI.create(stream.toString()))) {
            sse.awaitText(":\nretry:2000\n\n:\nid:0-0\n\n");
            List<Integer> acknowledged = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                assertEquals(201, publish(n, Duration.ofSeconds(10)).statusCode());
                acknowledged.add(n);
            }
            Await.until("the first events", () -> comments(sse).size() == 3);

            String channel = ProxiedRedisResource.prefix + "{" + TOPIC + "}:notify";
            Await.until("subscribed (SHARDNUMSUB " + numsub(channel) + ")", () -> numsub(channel) == 1);
            ProxiedRedisResource.proxy.partition();
            for (int n = 100; n < 103; n++) {
                HttpResponse<String> refused;
                try {
                    refused = publish(n, bound);
                } catch (HttpTimeoutException e) {
                    throw new AssertionError("a publish during the partition hung past " + bound, e);
                }
                assertEquals(503, refused.statusCode(), refused.body());
                assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            }
            Await.until(
                    "readiness down during the partition", Duration.ofSeconds(10), () -> status(this::ready) == 503);

            ProxiedRedisResource.proxy.heal();
            Await.until(
                    "a publish succeeds after healing",
                    Duration.ofSeconds(20),
                    () -> status(() -> publish(4, Duration.ofSeconds(5)).statusCode()) == 201);
            acknowledged.add(4);
            for (int n = 5; n <= 8; n++) {
                assertEquals(201, publish(n, Duration.ofSeconds(10)).statusCode(), "publish " + n);
                acknowledged.add(n);
            }
            Await.until(
                    "the open stream gets every event acknowledged after healing (got " + comments(sse) + ")",
                    Duration.ofSeconds(20),
                    () -> comments(sse).size() >= acknowledged.size());
            assertEquals(acknowledged, comments(sse), "once each, in order; nothing refused was stored");
            Await.until("ready again", Duration.ofSeconds(10), () -> status(this::ready) == 200);
            Await.until(
                    "subscribed again, and the black-holed subscription closed (SHARDNUMSUB " + numsub(channel) + ")",
                    Duration.ofSeconds(20),
                    () -> numsub(channel) == 1);
        }
    }
}
