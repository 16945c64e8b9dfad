package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.fanout.Fanout;
import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP API as browsers and the app's server use it, run against each store. The app's server
 * publishes with its key ({@link dev.eventhub.support.TestKeys#asPublisher()}); browsers read public
 * topics without one.
 */
public abstract class HubApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPENING = ":\nretry:2000\n\n";

    @TestHTTPResource("/")
    URL base;

    @Inject
    Fanout fanout;

    private static String newTopic() {
        return "trip/" + UUID.randomUUID() + "/comments";
    }

    private URI subscribeUri(String topic, String query) {
        return URI.create(
                base.toString().replaceAll("/$", "") + "/api/subscribe/" + topic + (query == null ? "" : "?" + query));
    }

    /** Live subscribers of {@code topic} ({@code type/id/channel}) on this instance, past their replay. */
    private int liveSubscribers(String topic) {
        String[] parts = topic.split("/");
        return fanout.liveSubscribers(dev.eventhub.topic.Topic.parse(parts[0], parts[1], parts[2]));
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

    private static String comment(int n) {
        return "{\"action\":\"new_comment\",\"comment\":{\"id\":" + n + ",\"text\":\"c" + n + "\"}}";
    }

    /** The exact data line subscribers get for an event, read back from the history endpoint. */
    private static String storedJson(String topic, String id) {
        List<Map<String, Object>> events = given().get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .extract()
                .path("events");
        for (Map<String, Object> event : events) {
            if (id.equals(event.get("id"))) {
                try {
                    return JSON.writeValueAsString(event.get("data"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no event " + id + " in history");
    }

    @Test
    void aStreamOpensAtOnceWithRetryThenItsPositionAndTheProxyHeaders() {
        try (SseClient sse = SseClient.open(subscribeUri(newTopic(), null))) {
            assertEquals(200, sse.status());
            assertEquals("text/event-stream", sse.header("Content-Type"));
            assertEquals("no-cache", sse.header("Cache-Control"));
            assertEquals("no", sse.header("X-Accel-Buffering"));
            String expected = OPENING + ":\nid:0-0\n\n";
            assertEquals(expected, sse.awaitText(expected));
        }
    }

    @Test
    void aPublishedEventArrivesAsOneIdLineAndOneDataLineWithNoEventName() {
        String topic = newTopic();
        try (SseClient sse = SseClient.open(subscribeUri(topic, null))) {
            String opened = sse.awaitText(OPENING + ":\nid:0-0\n\n");
            Await.until("this topic's stream live", () -> liveSubscribers(topic) == 1);
            String id = publish(topic, comment(1));
            String expected = opened + "id:" + id + "\ndata:" + storedJson(topic, id) + "\n\n";
            assertEquals(expected, sse.awaitText(expected));
        }
    }

    @Test
    void publishAnswers201WithTheIdAndSubscribersGetTheBodyPlusTopicFieldsAndTimestamp() throws Exception {
        String topic = "location/new-york.city_2/comments";
        Response response = asPublisher()
                .contentType("application/json; charset=utf-8")
                .body("{\"action\":\"new_comment\",\"comment\":{\"id\":\"c9\"},\"extra\":[1,{\"x\":null}]}")
                .post("/api/publish/" + topic);
        response.then().statusCode(201).contentType("application/json").body("topic", equalTo(topic));
        String id = response.path("id");
        JsonNode event = JSON.readTree(storedJson(topic, id));
        assertEquals("new_comment", event.get("action").asText());
        assertEquals("c9", event.get("comment").get("id").asText());
        assertEquals("[1,{\"x\":null}]", event.get("extra").toString(), "unknown fields pass through untouched");
        assertEquals("location", event.get("entityType").asText());
        assertEquals("new-york.city_2", event.get("entityId").asText());
        assertEquals("comments", event.get("channel").asText());
        Instant.parse(event.get("timestamp").asText());
    }

    @Test
    void theAppsJsonReachesTheStreamWithItsOwnNumberTextsAndKeyOrderOnOneLine() {
        String topic = newTopic();
        dev.eventhub.topic.Topic parsed = dev.eventhub.topic.Topic.parse("trip", topic.split("/")[1], "comments");
        String sent = "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\",\"text\":\"x\",\"at\":1796155162366.125,"
                + "\"n\":1e3,\"d\":0.1000000000000000000000000000000001}}";
        String pretty = "{\n  \"action\": \"new_comment\",\n  \"comment\": {\n    \"id\": \"c2\",\n"
                + "    \"text\": \"a  b\",\n    \"n\": 1E+3\n  }\n}\n";
        String fields = ",\"entityType\":\"trip\",\"entityId\":\"" + parsed.id()
                + "\",\"channel\":\"comments\",\"timestamp\":\"[^\"]+\"}";
        try (SseClient sse = SseClient.open(subscribeUri(topic, null))) {
            String opened = sse.awaitText(OPENING + ":\nid:0-0\n\n");
            Await.until("stream live", () -> fanout.liveSubscribers(parsed) == 1);
            String first = publish(topic, sent);
            String second = publish(topic, pretty);
            sse.awaitData(2);
            String expected = java.util.regex.Pattern.quote(
                            opened + "id:" + first + "\ndata:" + sent.substring(0, sent.length() - 1))
                    + fields
                    + java.util.regex.Pattern.quote("\n\nid:" + second + "\ndata:"
                            + "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c2\",\"text\":\"a  b\",\"n\":1E+3}")
                    + fields + "\n\n";
            assertTrue(sse.text().matches(expected), sse.text());
            String history = given().get("/api/history/" + topic).asString();
            assertTrue(
                    history.contains(",\"d\":0.1000000000000000000000000000000001}"),
                    "history relays the same text: " + history);
        }
    }

    @Test
    void aBodyHoldingAKeyTheHubAddsIsRefusedWithTheKeyNamedAndNotStored() {
        String topic = newTopic();
        asPublisher()
                .contentType("application/json")
                .body("{\"action\":\"new_comment\",\"comment\":{\"id\":\"c9\"},\"entityType\":\"spoof\"}")
                .post("/api/publish/" + topic)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:reserved-field"))
                .body("detail", org.hamcrest.Matchers.startsWith("\"entityType\""));
        given().get("/api/history/" + topic).then().statusCode(200).body("events.size()", equalTo(0));
    }

    private static Response publishWithKey(String topic, String body, String key) {
        return asPublisher()
                .contentType("application/json")
                .header("Idempotency-Key", key)
                .body(body)
                .post("/api/publish/" + topic);
    }

    private static int historySize(String topic) {
        return given().get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .extract()
                .path("events.size()");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndIsStoredAndDeliveredOnce() {
        String topic = newTopic();
        dev.eventhub.topic.Topic parsed = dev.eventhub.topic.Topic.parse("trip", topic.split("/")[1], "comments");
        String key = UUID.randomUUID().toString();
        try (SseClient sse = SseClient.open(subscribeUri(topic, null))) {
            sse.awaitText(OPENING + ":\nid:0-0\n\n");
            Await.until("stream live", () -> fanout.liveSubscribers(parsed) == 1);
            Response first = publishWithKey(topic, comment(1), key);
            first.then().statusCode(201).header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue());
            Response retry = publishWithKey(topic, comment(1), "\"" + key + "\""); // the draft's quoted form
            retry.then().statusCode(201).contentType("application/json").header("Idempotent-Replayed", "true");
            assertEquals(first.asString(), retry.asString(), "the same body as the first answer");
            String next = publish(topic, comment(2));
            List<String> data = sse.awaitData(2);
            assertTrue(
                    data.get(0).contains("\"text\":\"c1\"") && data.get(1).contains("\"text\":\"c2\""),
                    data.toString());
            assertTrue(sse.text().endsWith("id:" + next + "\ndata:" + data.get(1) + "\n\n"), sse.text());
            assertEquals(2, sse.data().size(), "the retry was not delivered");
        }
        assertEquals(2, historySize(topic));
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyGets422AndNothingIsStored() {
        String topic = newTopic();
        String key = UUID.randomUUID().toString();
        String first = publishWithKey(topic, comment(1), key).path("id");
        publishWithKey(topic, comment(2), key)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:idempotency-key-reused"))
                .body("status", equalTo(422))
                .body("detail", not(emptyString()));
        given().get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .body("head", equalTo(first))
                .body("events.size()", equalTo(1))
                .body("events[0].data.comment.text", equalTo("c1"));
    }

    @Test
    void theSameIdempotencyKeyOnAnotherTopicPublishesThere() {
        String topic = newTopic();
        String other = topic.replace("/comments", "/images").replace("trip/", "post/");
        String key = UUID.randomUUID().toString();
        publishWithKey(topic, comment(1), key).then().statusCode(201);
        publishWithKey(topic.replace("trip/", "post/"), comment(1), key)
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue());
        publishWithKey(other, "{\"action\":\"image_deleted\",\"imageId\":\"i1\"}", key)
                .then()
                .statusCode(201);
        assertEquals(1, historySize(topic));
        assertEquals(1, historySize(topic.replace("trip/", "post/")));
        assertEquals(1, historySize(other));
    }

    @Test
    void anIdempotencyKeyExpiresAfterItsTtlAndThenPublishesAgain() {
        String topic = newTopic();
        String key = UUID.randomUUID().toString();
        String first = publishWithKey(topic, comment(1), key).path("id");
        // The test profile's TTL is 3 s: retries answer the first id until then, and store nothing.
        String[] later = new String[1];
        Await.until("the key expired", java.time.Duration.ofSeconds(15), () -> {
            Response again = publishWithKey(topic, comment(1), key);
            again.then().statusCode(201);
            if ("true".equals(again.header("Idempotent-Replayed"))) {
                assertEquals(first, again.path("id"));
                return false;
            }
            later[0] = again.path("id");
            return true;
        });
        assertTrue(!first.equals(later[0]), later[0]);
        assertEquals(2, historySize(topic), "stored once before and once after the expiry");
    }

    static Stream<Arguments> badIdempotencyKeys() {
        return Stream.of(
                Arguments.of("x".repeat(256)),
                Arguments.of("two words"),
                Arguments.of("\"\""),
                Arguments.of("\"bad\\escape\""),
                Arguments.of("tab\there"));
    }

    @ParameterizedTest(name = "400 for Idempotency-Key [{0}]")
    @MethodSource("badIdempotencyKeys")
    void aBadIdempotencyKeyGets400AndNothingIsStored(String key) {
        String topic = newTopic();
        publishWithKey(topic, comment(1), key)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:invalid-idempotency-key"))
                .body("detail", not(emptyString()));
        assertEquals(0, historySize(topic));
        publishWithKey(topic, comment(1), "k".repeat(255)).then().statusCode(201);
    }

    @Test
    void lastEventIdHeaderReplaysExactlyTheMissedEventsThenGoesLive() {
        String topic = newTopic();
        String first = publish(topic, comment(1));
        publish(topic, comment(2));
        publish(topic, comment(3));
        try (SseClient sse = SseClient.open(subscribeUri(topic, null), Map.of("Last-Event-ID", first))) {
            List<String> data = sse.awaitData(2);
            assertTrue(
                    data.get(0).contains("\"text\":\"c2\"") && data.get(1).contains("\"text\":\"c3\""),
                    data.toString());
            Await.until("this topic's stream live", () -> liveSubscribers(topic) == 1);
            publish(topic, comment(4));
            List<String> all = sse.awaitData(3);
            assertTrue(all.get(2).contains("\"text\":\"c4\""), all.toString());
            assertEquals(3, all.size(), "no duplicate");
        }
    }

    @Test
    void lastEventIdQueryParameterResumesLikeTheHeader() {
        String topic = newTopic();
        String first = publish(topic, comment(1));
        String second = publish(topic, comment(2));
        try (SseClient sse = SseClient.open(subscribeUri(topic, "lastEventId=" + first))) {
            String expected = OPENING + "id:" + second + "\ndata:" + storedJson(topic, second) + "\n\n";
            assertEquals(expected, sse.awaitText(expected));
        }
    }

    @Test
    void aMalformedLastEventIdGetsAResyncAtTheHeadNotAGuess() {
        String topic = newTopic();
        publish(topic, comment(1));
        String head = publish(topic, comment(2));
        try (SseClient sse = SseClient.open(subscribeUri(topic, null), Map.of("Last-Event-ID", "garbage"))) {
            String expected =
                    OPENING + "id:" + head + "\ndata:{\"action\":\"resync\",\"reason\":\"unknown_id\",\"topic\":\""
                            + topic + "\",\"head\":\"" + head + "\"}\n\n";
            assertEquals(expected, sse.awaitText(expected));
        }
    }

    @Test
    void resumingFromTrimmedHistoryGetsAResync() {
        String topic = newTopic();
        String first = publish(topic, comment(0));
        String head = first;
        for (int i = 1; i <= 101; i++) { // 102 events: the retained 100 start at the 3rd
            head = publish(topic, comment(i));
        }
        try (SseClient sse = SseClient.open(subscribeUri(topic, null), Map.of("Last-Event-ID", first))) {
            List<String> data = sse.awaitData(1);
            assertEquals(
                    "{\"action\":\"resync\",\"reason\":\"history_trimmed\",\"topic\":\"" + topic + "\",\"head\":\""
                            + head + "\"}",
                    data.get(0));
        }
        given().queryParam("after", first)
                .get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .body("resync", equalTo(true))
                .body("reason", equalTo("history_trimmed"))
                .body("head", equalTo(head))
                .body("events.size()", equalTo(0));
    }

    @Test
    void historyReturnsTheEventsAfterAnIdAndTheHead() {
        String topic = newTopic();
        String first = publish(topic, comment(1));
        String second = publish(topic, comment(2));
        given().queryParam("after", first)
                .get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .body("topic", equalTo(topic))
                .body("head", equalTo(second))
                .body("resync", equalTo(false))
                .body("events.size()", equalTo(1))
                .body("events[0].id", equalTo(second))
                .body("events[0].data.comment.text", equalTo("c2"));
        given().get("/api/history/" + topic).then().statusCode(200).body("events.size()", equalTo(2));
    }

    @Test
    void closingAStreamFreesItAtOnce() {
        String topic = newTopic();
        dev.eventhub.topic.Topic parsed = dev.eventhub.topic.Topic.parse("trip", topic.split("/")[1], "comments");
        SseClient sse = SseClient.open(subscribeUri(topic, null));
        sse.awaitText(OPENING + ":\nid:0-0\n\n");
        // The position frame can reach the client a moment before the feed's registration returns.
        Await.until("stream registered", () -> fanout.liveSubscribers(parsed) == 1);
        sse.close();
        Await.until("stream removed", () -> fanout.liveSubscribers(parsed) == 0);
    }

    static Stream<Arguments> badRequests() {
        String ok = comment(1);
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("car/1/comments", "application/json", ok, 404, "unknown-entity-type"));
        cases.add(Arguments.of("trip/1/chat", "application/json", ok, 404, "unknown-channel"));
        cases.add(Arguments.of(
                "trip/" + "x".repeat(129) + "/comments", "application/json", ok, 400, "invalid-entity-id"));
        cases.add(Arguments.of("trip/a%20b/comments", "application/json", ok, 400, "invalid-entity-id"));
        cases.add(Arguments.of("trip/1/comments", "application/json", "{\"action\":", 400, "malformed-json"));
        cases.add(Arguments.of("trip/1/comments", "application/json", "[1,2]", 400, "malformed-json"));
        cases.add(Arguments.of("trip/1/comments", "application/json", "{} {}", 400, "malformed-json"));
        cases.add(
                Arguments.of("trip/1/comments", "application/json", "{\"comment\":{\"id\":1}}", 400, "missing-action"));
        cases.add(Arguments.of("trip/1/comments", "application/json", "{\"action\":7}", 400, "missing-action"));
        cases.add(Arguments.of(
                "trip/1/comments", "application/json", "{\"action\":\"liked\"}", 422, "action-not-allowed"));
        cases.add(Arguments.of(
                "trip/1/comments", "application/json", "{\"action\":\"new_comment\"}", 422, "invalid-field"));
        cases.add(Arguments.of(
                "trip/1/comments",
                "application/json",
                "{\"action\":\"new_comment\",\"comment\":{}}",
                422,
                "invalid-field"));
        cases.add(Arguments.of(
                "trip/1/likes",
                "application/json",
                "{\"action\":\"liked\",\"userId\":\"u\",\"count\":1.5}",
                422,
                "invalid-field"));
        cases.add(Arguments.of(
                "trip/1/rating",
                "application/json",
                "{\"action\":\"rating_updated\",\"rating\":{\"average\":\"4\",\"count\":2}}",
                422,
                "invalid-field"));
        cases.add(Arguments.of("trip/1/comments", "text/plain", ok, 415, "unsupported-media-type"));
        cases.add(Arguments.of(
                "trip/1/comments", "application/x-www-form-urlencoded", ok, 415, "unsupported-media-type"));
        cases.add(Arguments.of(
                "trip/1/comments",
                "application/json",
                "{\"action\":\"new_comment\",\"comment\":{\"id\":1},\"pad\":\"" + "x".repeat(70_000) + "\"}",
                413,
                "body-too-large"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{3} {4} for {0} {1}")
    @MethodSource("badRequests")
    void badInputGetsAProblemWithTheRightStatusAndIsNotStored(
            String topic, String contentType, String body, int status, String type) {
        asPublisher()
                .contentType(contentType)
                .body(body)
                .post("/api/publish/" + topic)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:" + type))
                .body("status", equalTo(status))
                .body("title", not(emptyString()))
                .body("detail", not(emptyString()));
        if (status != 404 && !"invalid-entity-id".equals(type)) {
            given().get("/api/history/" + topic).then().statusCode(200).body("events.size()", equalTo(0));
        }
    }

    @Test
    void unknownPathsAndBadHistoryCursorsAreProblemsToo() {
        given().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/subscribe/car/1/comments")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:unknown-entity-type"));
        given().queryParam("after", "not-an-id!")
                .get("/api/history/trip/1/comments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:invalid-query"));
        asPublisher()
                .contentType("application/json")
                .body(comment(1))
                .put("/api/publish/trip/1/comments")
                .then()
                .statusCode(405)
                .contentType("application/problem+json");
    }
}
