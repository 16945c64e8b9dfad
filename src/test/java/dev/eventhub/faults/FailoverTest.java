package dev.eventhub.faults;

import static dev.eventhub.support.TestKeys.asPublisher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.event.EventId;
import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failover to a replica that lagged (Redis replication is asynchronous): the primary acknowledged
 * r4 and r5, the replica that takes over holds only r1 to r3. Live streams and a client resuming
 * with a lost id get a resync, and no id is given to two events.
 */
@QuarkusTest
@TestProfile(ReplicatedRedisProfile.class)
class FailoverTest {

    private static final String TOPIC = "trip/failover/comments";

    @TestHTTPResource("/api/subscribe/" + TOPIC)
    URL stream;

    private static EventId publish(String name) {
        String id = asPublisher()
                .contentType("application/json")
                .body("{\"action\":\"new_comment\",\"comment\":{\"id\":\"" + name + "\"}}")
                .post("/api/publish/" + TOPIC)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return EventId.parse(id).orElseThrow();
    }

    /** The {@code id:} and {@code data:} of each frame with data, as "id data". */
    private static List<String> events(SseClient sse) {
        return sse.messages().stream().map(m -> m.id() + " " + m.data()).toList();
    }

    @Test
    void aFailoverToALaggingReplicaResyncsLiveAndResumingStreamsAndReusesNoId() {
        try (SseClient live = SseClient.open(URI.create(stream.toString()))) {
            live.awaitText(":\nretry:2000\n\n:\nid:0-0\n\n");
            List<EventId> given = new ArrayList<>();
            for (String name : List.of("r1", "r2", "r3")) {
                given.add(publish(name));
            }
            assertEquals(":1", ProxiedRedisResource.primary.call("WAIT", "1", "5000"), "the replica has r1..r3");
            // The replica stops following here: what the primary acknowledges next, it never gets.
            assertEquals("+OK", ProxiedRedisResource.replica.call("REPLICAOF", "NO", "ONE"));
            given.add(publish("r4"));
            given.add(publish("r5"));
            live.awaitData(5);

            ProxiedRedisResource.proxy.retarget(ProxiedRedisResource.replica.port()); // the failover
            Await.until(
                    "a resync on the live stream (got " + live.text() + ")",
                    Duration.ofSeconds(10),
                    () -> live.data().size() == 6);
            String resync = events(live).get(5);
            assertTrue(resync.contains("\"action\":\"resync\",\"reason\":\"rolled_back\""), resync);
            EventId restarted =
                    EventId.parse(resync.substring(0, resync.indexOf(' '))).orElseThrow();
            assertTrue(!restarted.sameEpoch(given.get(0)), "a new epoch: " + restarted);

            try (SseClient resumed = SseClient.open(
                    URI.create(stream.toString()),
                    Map.of("Last-Event-ID", given.get(4).toString()))) {
                List<String> first = resumed.awaitData(1);
                assertTrue(first.get(0).contains("\"action\":\"resync\""), "resuming with the lost r5: " + first);
            }

            given.add(publish("n1"));
            given.add(publish("n2"));
            live.awaitData(8);
            assertEquals(given.size(), new HashSet<>(given).size(), "no id given to two events: " + given);
            List<String> received = events(live);
            assertEquals(
                    given.get(5) + " ",
                    received.get(6).substring(0, given.get(5).toString().length() + 1));
            assertTrue(received.get(6).contains("\"id\":\"n1\""), received.toString());
            assertTrue(received.get(7).contains("\"id\":\"n2\""), received.toString());
            for (int i = 0; i < 5; i++) {
                assertTrue(received.get(i).startsWith(given.get(i) + " "), received.toString());
            }
        }
    }
}
