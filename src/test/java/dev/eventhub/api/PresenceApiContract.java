package dev.eventhub.api;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.presence.PresenceTracker;
import dev.eventhub.support.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Presence over HTTP, as the app's server and browsers use it, run against each store. */
public abstract class PresenceApiContract {

    private static final String OPENING = ":\nretry:2000\n\n";

    @TestHTTPResource("/")
    URL base;

    @Inject
    PresenceTracker tracker;

    private static String newEntity() {
        return "trip/" + UUID.randomUUID();
    }

    private URI stream(String entity, String query) {
        return URI.create(base.toString().replaceAll("/$", "") + "/api/subscribe/" + entity + "/presence"
                + (query == null ? "" : "?" + query));
    }

    private static String head(String entity) {
        return given().get("/api/history/" + entity + "/presence")
                .then()
                .statusCode(200)
                .extract()
                .path("head");
    }

    /** Data lines of presence events, without the timestamp (which the test cannot know). */
    private static List<String> withoutTimestamps(List<String> data) {
        return data.stream()
                .map(d -> d.replaceAll(",\"timestamp\":\"[^\"]+\"", ""))
                .toList();
    }

    @Test
    void putTracksAViewerWithDisplayDataGetListsItAndDeleteRemovesIt() {
        String entity = newEntity();
        asPublisher()
                .contentType("application/json")
                .body("{\"name\":\"Ann\",\"avatarUrl\":\"https://img.example/ann.png\"}")
                .put("/api/presence/" + entity + "/viewers/ann")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("topic", equalTo(entity + "/presence"))
                .body("joined", equalTo(true))
                .body("count", equalTo(1))
                .body("viewer.id", equalTo("ann"))
                .body("viewer.name", equalTo("Ann"))
                .body("viewer.avatarUrl", equalTo("https://img.example/ann.png"));
        asPublisher()
                .put("/api/presence/" + entity + "/viewers/bob") // no body: no display data
                .then()
                .statusCode(200)
                .body("joined", equalTo(true))
                .body("count", equalTo(2));
        asPublisher()
                .contentType("application/json")
                .body("{\"name\":\"Ann\"}")
                .put("/api/presence/" + entity + "/viewers/ann")
                .then()
                .statusCode(200)
                .body("joined", equalTo(false))
                .body("count", equalTo(2));
        given().get("/api/presence/" + entity)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("topic", equalTo(entity + "/presence"))
                .body("count", equalTo(2))
                .body("viewers.find { it.id == 'ann' }.name", equalTo("Ann"))
                .body("viewers.find { it.id == 'bob' }.size()", equalTo(1));
        asPublisher()
                .delete("/api/presence/" + entity + "/viewers/ann")
                .then()
                .statusCode(200)
                .body("left", equalTo(true))
                .body("count", equalTo(1))
                .body("viewer.id", equalTo("ann"));
        asPublisher()
                .delete("/api/presence/" + entity + "/viewers/ann")
                .then()
                .statusCode(200)
                .body("left", equalTo(false))
                .body("count", equalTo(1));
        given().get("/api/presence/" + entity)
                .then()
                .statusCode(200)
                .body("count", equalTo(1))
                .body("viewers.id", equalTo(List.of("bob")));
        List<Map<String, Object>> events = given().get("/api/history/" + entity + "/presence")
                .then()
                .statusCode(200)
                .extract()
                .path("events.data");
        assertEquals(
                List.of("viewer_joined", "viewer_joined", "viewer_left"),
                events.stream().map(e -> e.get("action")).toList());
        assertEquals(
                Map.of("id", "ann", "name", "Ann"), events.get(2).get("viewer"), "left with its newest display data");
    }

    @Test
    void aPresenceStreamOpensWithRetryThenTheSnapshotAtTheHead() {
        String entity = newEntity();
        asPublisher()
                .contentType("application/json")
                .body("{\"name\":\"Bob\"}")
                .put("/api/presence/" + entity + "/viewers/bob")
                .then()
                .statusCode(200);
        try (SseClient sse = SseClient.open(stream(entity, null))) {
            assertEquals(200, sse.status());
            assertEquals("text/event-stream", sse.header("Content-Type"));
            assertEquals("no-cache", sse.header("Cache-Control"));
            String expected = OPENING + "id:" + head(entity)
                    + "\ndata:{\"action\":\"presence_snapshot\",\"viewers\":[{\"id\":\"bob\",\"name\":\"Bob\"}],\"count\":1}\n\n";
            assertEquals(expected, sse.awaitText(expected));
        }
    }

    @Test
    void aStreamOnAnEntityNobodyViewsStartsWithAnEmptySnapshotAtTheStart() {
        try (SseClient sse = SseClient.open(stream(newEntity(), null), Map.of("Last-Event-ID", "k3x9q2ma01-5"))) {
            String expected =
                    OPENING + "id:0-0\ndata:{\"action\":\"presence_snapshot\",\"viewers\":[],\"count\":0}\n\n";
            assertEquals(expected, sse.awaitText(expected), "a snapshot, whatever the Last-Event-ID");
        }
    }

    @Test
    void aWatcherSeesOneJoinForTwoTabsOfAViewerAndOneLeaveAfterBothClose() {
        String entity = newEntity();
        try (SseClient watcher = SseClient.open(stream(entity, null))) {
            watcher.awaitData(1);
            SseClient tab1 =
                    SseClient.open(stream(entity, "viewer=ann&name=Ann&avatarUrl=https%3A%2F%2Fimg.example%2Fa.png"));
            SseClient tab2 =
                    SseClient.open(stream(entity, "viewer=ann&name=Ann&avatarUrl=https%3A%2F%2Fimg.example%2Fa.png"));
            String ann = "{\"id\":\"ann\",\"name\":\"Ann\",\"avatarUrl\":\"https://img.example/a.png\"}";
            assertEquals(
                    "{\"action\":\"presence_snapshot\",\"viewers\":[" + ann + "],\"count\":1}",
                    tab1.awaitData(1).get(0));
            assertEquals(
                    "{\"action\":\"presence_snapshot\",\"viewers\":[" + ann + "],\"count\":1}",
                    tab2.awaitData(1).get(0));
            tab1.close();
            asPublisher()
                    .put("/api/presence/" + entity + "/viewers/marker")
                    .then()
                    .statusCode(200);
            String joined = "{\"action\":\"viewer_joined\",\"viewer\":" + ann
                    + ",\"count\":1,\"entityType\":\"trip\",\"entityId\":\"" + entity.substring(5)
                    + "\",\"channel\":\"presence\"}";
            List<String> seen = withoutTimestamps(watcher.awaitData(3));
            assertEquals(joined, seen.get(1));
            assertTrue(
                    seen.get(2).startsWith("{\"action\":\"viewer_joined\",\"viewer\":{\"id\":\"marker\"}"),
                    seen.toString());
            assertEquals(3, seen.size(), "no leave while a tab is open: " + seen);
            tab2.close();
            List<String> after = withoutTimestamps(watcher.awaitData(4));
            assertEquals(
                    "{\"action\":\"viewer_left\",\"viewer\":" + ann
                            + ",\"count\":1,\"entityType\":\"trip\",\"entityId\":\"" + entity.substring(5)
                            + "\",\"channel\":\"presence\"}",
                    after.get(3));
        }
        given().get("/api/presence/" + entity).then().statusCode(200).body("viewers.id", equalTo(List.of("marker")));
    }

    @Test
    void anAnonymousViewerParameterCannotOverwriteTheDisplayDataTheAppPut() {
        String entity = newEntity();
        String ann = "{\"id\":\"ann\",\"name\":\"Ann\",\"avatarUrl\":\"https://img.example/ann.png\"}";
        asPublisher()
                .contentType("application/json")
                .body("{\"name\":\"Ann\",\"avatarUrl\":\"https://img.example/ann.png\"}")
                .put("/api/presence/" + entity + "/viewers/ann")
                .then()
                .statusCode(200);
        try (SseClient mallory = SseClient.open(stream(entity, "viewer=ann&name=Mallory"))) {
            assertEquals(
                    "{\"action\":\"presence_snapshot\",\"viewers\":[" + ann + "],\"count\":1}",
                    mallory.awaitData(1).get(0),
                    "the claim is counted as ann's tab but shows the app's data");
            given().get("/api/presence/" + entity)
                    .then()
                    .statusCode(200)
                    .body("viewers.find { it.id == 'ann' }.name", equalTo("Ann"))
                    .body("viewers.find { it.id == 'ann' }.avatarUrl", equalTo("https://img.example/ann.png"));
        }
        asPublisher()
                .contentType("application/json")
                .body("{\"name\":\"Ann Lee\"}")
                .put("/api/presence/" + entity + "/viewers/ann")
                .then()
                .statusCode(200)
                .body("viewer.name", equalTo("Ann Lee"));
        given().get("/api/presence/" + entity).then().body("viewers[0].name", equalTo("Ann Lee"));
    }

    @ParameterizedTest
    @MethodSource("hubOwnPresenceEvents")
    void thePublishApiRefusesTheHubsOwnPresenceEventsWith422(String body) {
        String entity = newEntity();
        asPublisher()
                .contentType("application/json")
                .body(body)
                .post("/api/publish/" + entity + "/presence")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:action-not-allowed"))
                .body("status", equalTo(422));
        assertEquals("0-0", head(entity), "nothing was appended");
        given().get("/api/presence/" + entity).then().statusCode(200).body("count", equalTo(0));
    }

    static Stream<String> hubOwnPresenceEvents() {
        return Stream.of(
                "{\"action\":\"viewer_joined\",\"viewer\":{\"id\":\"ghost\"},\"count\":99}",
                "{\"action\":\"viewer_left\",\"viewer\":{\"id\":\"ann\"},\"count\":0}");
    }

    @Test
    void aStreamWithoutViewerJustWatches() {
        String entity = newEntity();
        int held = tracker.heldViewers();
        try (SseClient sse = SseClient.open(stream(entity, "name=Nobody"))) {
            sse.awaitData(1);
            assertEquals(held, tracker.heldViewers());
            given().get("/api/presence/" + entity).then().statusCode(200).body("count", equalTo(0));
        }
    }

    static Stream<Arguments> badRequests() {
        List<Arguments> cases = new ArrayList<>();
        String ok = "/api/presence/trip/1/viewers/ann";
        cases.add(Arguments.of("PUT", "/api/presence/trip/1/viewers/a%20b", null, 400, "invalid-viewer-id"));
        cases.add(
                Arguments.of("PUT", "/api/presence/trip/1/viewers/" + "x".repeat(129), null, 400, "invalid-viewer-id"));
        cases.add(Arguments.of("PUT", "/api/presence/trip/1/viewers/a%3Ab", null, 400, "invalid-viewer-id"));
        cases.add(Arguments.of("DELETE", "/api/presence/trip/1/viewers/a%2Fb%3F", null, 400, "invalid-viewer-id"));
        cases.add(Arguments.of("GET", "/api/subscribe/trip/1/presence?viewer=a%20b", null, 400, "invalid-viewer-id"));
        cases.add(Arguments.of(
                "GET",
                "/api/subscribe/trip/1/presence?viewer=ann&name=" + "x".repeat(1100),
                null,
                400,
                "invalid-display"));
        cases.add(Arguments.of("PUT", "/api/presence/car/1/viewers/ann", null, 404, "unknown-entity-type"));
        cases.add(Arguments.of("DELETE", "/api/presence/car/1/viewers/ann", null, 404, "unknown-entity-type"));
        cases.add(Arguments.of("GET", "/api/presence/car/1", null, 404, "unknown-entity-type"));
        cases.add(Arguments.of("GET", "/api/subscribe/car/1/presence?viewer=ann", null, 404, "unknown-entity-type"));
        cases.add(Arguments.of("GET", "/api/presence/trip/a%20b", null, 400, "invalid-entity-id"));
        cases.add(Arguments.of("PUT", ok, "[1,2]", 400, "malformed-json"));
        cases.add(Arguments.of("PUT", ok, "{\"name\":", 400, "malformed-json"));
        cases.add(Arguments.of("PUT", ok, "{\"name\":\"" + "x".repeat(1100) + "\"}", 413, "display-too-large"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{3} {4} for {0} {1}")
    @MethodSource("badRequests")
    void badInputGetsAProblemWithTheRightStatus(String method, String path, String body, int status, String type) {
        // A stream where a problem was due would never end: give up on it instead of hanging the build.
        var request = asPublisher()
                .urlEncodingEnabled(false)
                .config(RestAssuredConfig.config()
                        .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 5_000)));
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        request.request(method, path)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:" + type))
                .body("status", equalTo(status))
                .body("detail", not(emptyString()));
    }

    @Test
    void displayDataMustBeJson() {
        asPublisher()
                .contentType("text/plain")
                .body("name=Ann")
                .put("/api/presence/trip/1/viewers/ann")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:unsupported-media-type"));
    }
}
