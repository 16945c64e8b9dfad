package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.fanout.Fanout;
import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import dev.eventhub.support.Tokens;
import dev.eventhub.topic.Topic;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The multiplexed stream, {@code GET /api/subscribe?topic=...&topic=...}, as a page uses it: every
 * topic on one stream with one cursor, composite resume by header and query, per-topic resync,
 * presence, private topics, limits and errors. Run against each store.
 */
public abstract class MultiplexApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPENING = ":\nretry:2000\n\n";

    @TestHTTPResource("/")
    URL base;

    @Inject
    Fanout fanout;

    /** One message of a stream: its id line (null when none) and its data as JSON. */
    record Message(String id, JsonNode data) {
        String channel() {
            return data.path("channel").asText();
        }

        /** {@code comments:3} for comment 3, {@code likes:2} for a like with count 2. */
        String key() {
            JsonNode comment = data.path("comment");
            return channel() + ":"
                    + (comment.isMissingNode()
                            ? data.path("count").asText()
                            : comment.path("id").asText());
        }
    }

    private URI uri(List<String> topics, String query) {
        String params = topics.stream().map(t -> "topic=" + t).collect(Collectors.joining("&"));
        return URI.create(
                base.toString().replaceAll("/$", "") + "/api/subscribe?" + params + (query == null ? "" : "&" + query));
    }

    private static String entity() {
        return "trip/" + UUID.randomUUID();
    }

    private static String publish(String topic, String body) {
        return asPublisher()
                .contentType("application/json")
                .body(body)
                .when()
                .post("/api/publish/" + topic)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Publishes event {@code n} on a comments or likes topic. */
    private static String publish(String topic, int n) {
        String body = topic.endsWith("/likes")
                ? "{\"action\":\"liked\",\"userId\":\"u" + n + "\",\"count\":" + n + "}"
                : "{\"action\":\"new_comment\",\"comment\":{\"id\":\"" + n + "\",\"text\":\"c" + n + "\"}}";
        return publish(topic, body);
    }

    private static List<Message> messages(SseClient sse) {
        List<Message> out = new ArrayList<>();
        for (SseClient.Message message : sse.messages()) {
            try {
                out.add(new Message(message.id(), JSON.readTree(message.data())));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + message.data(), e);
            }
        }
        return out;
    }

    private static List<Message> awaitMessages(SseClient sse, int count) {
        Await.until(
                count + " messages (got " + sse.text() + ")",
                () -> messages(sse).size() >= count);
        return messages(sse);
    }

    /** The id a browser would resume with: the last {@code id:} line received. */
    private static String lastId(SseClient sse) {
        String last = null;
        for (String frame : sse.frames()) {
            for (String line : frame.split("\n")) {
                if (line.startsWith("id:")) {
                    last = line.substring(3);
                }
            }
        }
        return last;
    }

    private static List<String> keys(List<Message> messages) {
        return messages.stream().map(Message::key).toList();
    }

    /** Opens a stream of {@code topics} and waits for its opening frames (retry, then the cursor). */
    private SseClient openLive(List<String> topics) {
        SseClient sse = SseClient.open(uri(topics, null));
        assertEquals(200, sse.status());
        Await.until(
                "the opening cursor (got " + sse.text() + ")",
                () -> sse.frames().size() >= 2);
        for (String topic : topics) {
            Topic parsed = Topic.parse(topic.split("/")[0], topic.split("/")[1], topic.split("/")[2]);
            Await.until("live on " + topic, () -> fanout.liveSubscribers(parsed) >= 1);
        }
        return sse;
    }

    @Test
    void aStreamOfSeveralTopicsOpensWithRetryThenOnePositionForAllAndTheProxyHeaders() {
        String entity = entity();
        try (SseClient sse = SseClient.open(uri(List.of(entity + "/comments", entity + "/likes"), null))) {
            assertEquals(200, sse.status());
            assertEquals("text/event-stream", sse.header("Content-Type"));
            assertEquals("no-cache", sse.header("Cache-Control"));
            assertEquals("no", sse.header("X-Accel-Buffering"));
            Await.until("two frames", () -> sse.frames().size() >= 2);
            assertTrue(sse.text().startsWith(OPENING + ":\nid:1."), sse.text());
            String cursor = lastId(sse);
            assertTrue(cursor.matches("1\\.[0-9a-z]{7}0-0\\.[0-9a-z]{7}0-0"), cursor);
            assertEquals(List.of(), messages(sse), "the position frame fires no message");
        }
    }

    @Test
    void eventsOfEveryTopicArriveOnceEachWithTheStreamsCursorAsId() {
        String entity = entity();
        String comments = entity + "/comments";
        String likes = entity + "/likes";
        try (SseClient sse = openLive(List.of(comments, likes))) {
            publish(comments, 1);
            publish(likes, 1);
            publish(comments, 2);
            List<Message> got = awaitMessages(sse, 3);
            assertEquals(List.of("comments:1", "likes:1", "comments:2"), keys(got));
            for (Message m : got) {
                assertTrue(m.id().startsWith("1."), m.id());
                assertEquals(entity.split("/")[1], m.data().get("entityId").asText());
            }
            assertEquals(3, got.stream().map(Message::id).distinct().count(), "each event moves the cursor");
            assertFalse(sse.text().contains("event:"), "no event names");
        }
    }

    @Test
    void lastEventIdHeaderResumesEveryTopicWithNoGapAndNoDuplicate() {
        String entity = entity();
        String comments = entity + "/comments";
        String likes = entity + "/likes";
        String cursor;
        try (SseClient sse = openLive(List.of(comments, likes))) {
            publish(comments, 1);
            publish(likes, 1);
            awaitMessages(sse, 2);
            cursor = lastId(sse);
        }
        publish(comments, 2);
        publish(likes, 2);
        publish(comments, 3);
        try (SseClient sse = SseClient.open(uri(List.of(comments, likes), null), Map.of("Last-Event-ID", cursor))) {
            List<Message> replay = awaitMessages(sse, 3);
            assertEquals(List.of("comments:2", "comments:3"), keysOf(replay, "comments"));
            assertEquals(List.of("likes:2"), keysOf(replay, "likes"));
            Topic parsed = Topic.parse("trip", entity.split("/")[1], "likes");
            Await.until("live", () -> fanout.liveSubscribers(parsed) >= 1);
            publish(likes, 3);
            List<Message> all = awaitMessages(sse, 4);
            assertEquals("likes:3", all.get(3).key());
            assertEquals(4, all.size(), "no duplicate");
        }
    }

    private static List<String> keysOf(List<Message> messages, String channel) {
        return messages.stream()
                .filter(m -> m.channel().equals(channel))
                .map(Message::key)
                .toList();
    }

    @Test
    void lastEventIdQueryParameterResumesLikeTheHeaderWhateverTheTopicOrder() {
        String entity = entity();
        String comments = entity + "/comments";
        String likes = entity + "/likes";
        String cursor;
        try (SseClient sse = openLive(List.of(comments, likes))) {
            cursor = lastId(sse);
        }
        publish(likes, 1);
        publish(comments, 1);
        String query = "lastEventId=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        try (SseClient sse = SseClient.open(uri(List.of(likes, comments), query))) {
            List<Message> replay = awaitMessages(sse, 2);
            assertEquals(
                    List.of("comments:1", "likes:1"),
                    keys(replay).stream().sorted().toList());
            assertTrue(sse.text().startsWith(OPENING + "id:1."), "no position frame on a resume: " + sse.text());
        }
    }

    @Test
    void aTrimmedTopicResyncsAloneNamingItselfWhileTheOthersReplayExactly() {
        String entity = entity();
        String comments = entity + "/comments";
        String likes = entity + "/likes";
        String cursor;
        try (SseClient sse = openLive(List.of(comments, likes))) {
            publish(comments, 0);
            awaitMessages(sse, 1);
            cursor = lastId(sse);
        }
        String head = null;
        for (int i = 1; i <= 101; i++) { // 101 after the cursor: the retained 100 miss the first
            head = publish(comments, i);
        }
        publish(likes, 1);
        try (SseClient sse = SseClient.open(uri(List.of(comments, likes), null), Map.of("Last-Event-ID", cursor))) {
            List<Message> got = awaitMessages(sse, 2);
            Message resync = got.stream()
                    .filter(m -> "resync".equals(m.data().path("action").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no resync in " + sse.text()));
            assertEquals(
                    "{\"entityType\":\"trip\",\"entityId\":\"" + entity.split("/")[1]
                            + "\",\"channel\":\"comments\",\"action\":\"resync\",\"reason\":\"history_trimmed\",\"topic\":\""
                            + comments + "\",\"head\":\"" + head + "\"}",
                    resync.data().toString());
            assertEquals(List.of("likes:1"), keysOf(got, "likes"), "the other topic replays exactly");
            assertEquals(2, got.size(), "no partial replay of the trimmed topic");
        }
    }

    @Test
    void aCursorThatIsNotOneResyncsEveryTopicNamingEach() {
        String entity = entity();
        String comments = entity + "/comments";
        String likes = entity + "/likes";
        publish(comments, 1);
        try (SseClient sse =
                SseClient.open(uri(List.of(comments, likes), null), Map.of("Last-Event-ID", "1.not-a-cursor"))) {
            List<Message> got = awaitMessages(sse, 2);
            for (Message m : got) {
                assertEquals("resync", m.data().get("action").asText());
                assertEquals("unknown_id", m.data().get("reason").asText());
                assertEquals("trip", m.data().get("entityType").asText());
            }
            assertEquals(
                    List.of("comments", "likes"),
                    got.stream().map(Message::channel).sorted().toList());
            assertNull(got.get(0).id(), "only the last opening message moves the browser's id");
            assertTrue(got.get(1).id().startsWith("1."), got.get(1).id());
        }
    }

    @Test
    void aPresenceTopicOpensWithItsSnapshotNamingItAndTheViewerIsPresentWhileTheStreamLasts() {
        String entity = entity();
        String presence = entity + "/presence";
        String comments = entity + "/comments";
        SseClient sse = SseClient.open(uri(List.of(comments, presence), "viewer=ann&name=Ann"));
        try {
            List<Message> got = awaitMessages(sse, 1);
            JsonNode snapshot = got.get(0).data();
            assertEquals("presence_snapshot", snapshot.get("action").asText());
            assertEquals("presence", snapshot.get("channel").asText());
            assertEquals(entity.split("/")[1], snapshot.get("entityId").asText());
            assertTrue(got.get(0).id().startsWith("1."), "the snapshot carries the cursor");
            given().get("/api/presence/" + entity)
                    .then()
                    .statusCode(200)
                    .body("viewers.id", hasItem("ann"))
                    .body("viewers.find { it.id == 'ann' }.name", equalTo("Ann"));
            publish(comments, 1);
            Await.until("the comment", () -> keys(messages(sse)).contains("comments:1"));
        } finally {
            sse.close();
        }
        Await.until(
                "ann left with her stream",
                () -> !given().get("/api/presence/" + entity)
                        .then()
                        .extract()
                        .path("viewers.id")
                        .toString()
                        .contains("ann"));
        given().get("/api/presence/" + entity).then().body("viewers.id", not(hasItem("ann")));
    }

    @Test
    void aPrivateTopicInTheSetNeedsATokenGrantingIt() {
        String id = UUID.randomUUID().toString();
        String blog = "blog/" + id + "/comments";
        String trip = "trip/" + id + "/comments";
        given().get(uri(List.of(trip, blog), null))
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        String tripOnly = Tokens.grant(Instant.now().plusSeconds(60), "ann", trip);
        given().get(uri(List.of(trip, blog), "token=" + tripOnly))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        String blogGrant = Tokens.grant(Instant.now().plusSeconds(60), "ann", blog);
        try (SseClient sse = SseClient.open(uri(List.of(trip, blog), "token=" + blogGrant))) {
            assertEquals(200, sse.status());
            Await.until("opened", () -> sse.frames().size() >= 2);
        }
    }

    @Test
    void aTokensStreamEndsWithATokenExpiredNamingEachTopic() {
        String id = UUID.randomUUID().toString();
        String blog = "blog/" + id + "/comments";
        String likes = "blog/" + id + "/likes";
        String token = Tokens.grant(Instant.now().plusSeconds(1), null, blog, likes);
        try (SseClient sse = SseClient.open(uri(List.of(blog, likes), "token=" + token))) {
            assertEquals(200, sse.status());
            Await.until("ended", sse::ended);
            List<Message> got = messages(sse);
            assertEquals(2, got.size(), sse.text());
            for (Message m : got) {
                assertEquals("token_expired", m.data().get("action").asText());
                assertEquals("blog", m.data().get("entityType").asText());
                assertEquals(id, m.data().get("entityId").asText());
                assertNull(m.id(), "no id: the browser resumes from its last event");
            }
            assertEquals(
                    List.of("comments", "likes"),
                    got.stream().map(Message::channel).sorted().toList());
        }
    }

    @Test
    void aStreamOfManyTopicsIsOneOpenStream() {
        String entity = entity();
        // Streams of earlier tests end when the server notices their client left: wait for that.
        Await.until("no stream of an earlier test", () -> fanout.openStreams() == 0);
        try (SseClient sse = openLive(List.of(entity + "/comments", entity + "/likes", entity + "/rating"))) {
            assertEquals(1, fanout.openStreams());
        }
        Await.until("closed", () -> fanout.openStreams() == 0);
    }

    @Test
    void upToTheLimitOfDistinctTopicsIsAcceptedAndARepeatedTopicCountsOnce() {
        String entity = entity();
        List<String> topics = new ArrayList<>();
        IntStream.range(0, 32).forEach(i -> topics.add("trip/" + entity.split("/")[1] + "-" + i + "/comments"));
        topics.add(topics.get(0)); // 33 parameters, 32 topics
        try (SseClient sse = SseClient.open(uri(topics, null))) {
            assertEquals(200, sse.status());
            Await.until("opened", () -> sse.frames().size() >= 2);
            String cursor = lastId(sse);
            assertEquals(32, cursor.split("\\.").length - 1, cursor);
            assertTrue(cursor.length() < 1220, "bounded: " + cursor.length());
        }
        topics.add("trip/one-more/comments");
        given().get(uri(topics, null))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:invalid-query"));
    }

    @Test
    void badTopicSetsAreProblemsWithTheRightStatus() {
        given().get("/api/subscribe")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:invalid-query"));
        problem(List.of("trip/1/comments", "car/1/comments"), 404, "unknown-entity-type");
        problem(List.of("trip/1/chat"), 404, "unknown-channel");
        problem(List.of("trip/a%20b/comments"), 400, "invalid-entity-id");
        problem(List.of("trip/" + "x".repeat(129) + "/comments"), 400, "invalid-entity-id");
        problem(List.of("trip/1"), 400, "invalid-query");
        problem(List.of("trip/1/comments/extra"), 400, "invalid-query");
    }

    private void problem(List<String> topics, int status, String type) {
        given().get(uri(topics, null))
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:" + type))
                .body("status", equalTo(status));
    }
}
