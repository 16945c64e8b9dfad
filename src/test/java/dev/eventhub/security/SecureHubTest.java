package dev.eventhub.security;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.fanout.Fanout;
import dev.eventhub.support.Await;
import dev.eventhub.support.RawHttp;
import dev.eventhub.support.SseClient;
import dev.eventhub.support.TestKeys;
import dev.eventhub.support.Tokens;
import dev.eventhub.topic.Topic;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may publish, who may read which topic, and what a client-supplied value can reach in a stream. */
@QuarkusTest
@TestProfile(SecureProfile.class)
class SecureHubTest {

    private static final String COMMENT = "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\"}}";
    private static final String OPENING = ":\nretry:2000\n\n";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    @Inject
    Fanout fanout;

    private static String unique() {
        return UUID.randomUUID().toString();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + base.getPort() + pathAndQuery);
    }

    private static Instant inAMinute() {
        return Instant.now().plusSeconds(60);
    }

    private static ValidatableResponse isProblem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:event-hub:problem:" + type))
                .body("status", equalTo(status));
    }

    private static int historySize(String topic) {
        return asPublisher()
                .get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .extract()
                .path("events.size()");
    }

    // ---- who may publish ----

    @Test
    void publishingWithoutAKeyGets401WithABearerChallenge() {
        String topic = "trip/" + unique() + "/comments";
        isProblem(
                        given().contentType("application/json")
                                .body(COMMENT)
                                .post("/api/publish/" + topic)
                                .then(),
                        401,
                        "publish-key-required")
                .header("WWW-Authenticate", "Bearer realm=\"event-hub\"");
        assertEquals(0, historySize(topic));
    }

    @Test
    void publishingWithAWrongKeyGets401ThatSaysNothingAboutTheKeys() {
        String topic = "trip/" + unique() + "/comments";
        for (String authorization : List.of(
                "Bearer wrong",
                "Bearer " + TestKeys.PUBLISH_KEY + "x",
                "Bearer " + TestKeys.PUBLISH_KEY.substring(0, 10),
                "Basic " + TestKeys.PUBLISH_KEY,
                "Bearer",
                "Bearer " + Tokens.grant(inAMinute(), null, "*/*/*"))) {
            String body = given().header("Authorization", authorization)
                    .contentType("application/json")
                    .body(COMMENT)
                    .post("/api/publish/" + topic)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer realm=\"event-hub\""))
                    .extract()
                    .asString();
            assertFalse(body.contains(TestKeys.PUBLISH_KEY.substring(0, 8)) || body.contains("test-publish"), body);
        }
        given().header("Authorization", "Bearer wrong")
                .contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/" + topic)
                .then()
                .header("WWW-Authenticate", "Bearer realm=\"event-hub\", error=\"invalid_token\"")
                .body("type", equalTo("urn:event-hub:problem:invalid-publish-key"));
        assertEquals(0, historySize(topic));
    }

    @Test
    void everyConfiguredKeyPublishesSoAKeyCanBeRotatedWithoutDowntime() {
        String topic = "trip/" + unique() + "/comments";
        asPublisher(TestKeys.PUBLISH_KEY)
                .contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/" + topic)
                .then()
                .statusCode(201);
        asPublisher(TestKeys.NEXT_KEY)
                .contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/" + topic)
                .then()
                .statusCode(201);
        assertEquals(2, historySize(topic));
    }

    @Test
    void aPublishWithoutAKeyIsRefusedBeforeItsSizeIsEvenConsidered() {
        String big = "{\"action\":\"new_comment\",\"comment\":{\"id\":1},\"pad\":\"" + "x".repeat(70_000) + "\"}";
        isProblem(
                given().contentType("application/json")
                        .body(big)
                        .post("/api/publish/trip/1/comments")
                        .then(),
                401,
                "publish-key-required");
        isProblem(
                asPublisher()
                        .contentType("application/json")
                        .body(big)
                        .post("/api/publish/trip/1/comments")
                        .then(),
                413,
                "body-too-large");
    }

    @Test
    void noSpellingOfThePublishPathGetsPastTheKeyCheck() throws Exception {
        String id = unique();
        for (String path : List.of(
                "//api/publish/trip/" + id + "/comments",
                "/api//publish/trip/" + id + "/comments",
                "/api/./publish/trip/" + id + "/comments",
                "/api/x/../publish/trip/" + id + "/comments",
                "/api/publish;v=1/trip/" + id + "/comments",
                "/api/publish/trip;v=1/" + id + "/comments",
                "/api/publish/trip/" + id + "/comments;v=1",
                "/api/%70ublish/trip/" + id + "/comments",
                "/api/publish/trip/" + id + "/%63omments",
                "/API/publish/trip/" + id + "/comments",
                "/api/publish/trip/" + id + "/comments/",
                "/api/publish/trip/" + id + "/comments?x=1")) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri(path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(COMMENT))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(
                    response.statusCode() == 401 || response.statusCode() == 404 || response.statusCode() == 400,
                    path + " answered " + response.statusCode());
        }
        assertEquals(0, historySize("trip/" + id + "/comments"));
    }

    @Test
    void presenceWritesNeedAKeyEvenWherePresenceHasNoEndpointYet() {
        for (String method : List.of("PUT", "DELETE")) {
            isProblem(
                    given().contentType("application/json")
                            .body("{}")
                            .request(method, "/api/presence/trip/1/viewers/u1")
                            .then(),
                    401,
                    "publish-key-required");
            int withKey = asPublisher()
                    .contentType("application/json")
                    .body("{}")
                    .request(method, "/api/presence/trip/1/viewers/u1")
                    .then()
                    .extract()
                    .statusCode();
            assertTrue(withKey != 401 && withKey < 500, method + " with the key answered " + withKey);
        }
    }

    // ---- who may read ----

    @Test
    void aPublicTopicNeedsNoToken() {
        try (SseClient sse = SseClient.open(uri("/api/subscribe/trip/" + unique() + "/comments"))) {
            assertEquals(200, sse.status());
            sse.awaitText(OPENING);
        }
        given().get("/api/history/trip/" + unique() + "/comments").then().statusCode(200);
    }

    @Test
    void aPrivateTopicWithoutATokenGets401BeforeTheStreamOpens() {
        isProblem(
                        given().accept("text/event-stream")
                                .get("/api/subscribe/blog/" + unique() + "/comments")
                                .then(),
                        401,
                        "token-required")
                .header("WWW-Authenticate", "Bearer realm=\"event-hub\"");
        isProblem(given().get("/api/history/post/" + unique() + "/likes").then(), 401, "token-required");
    }

    @Test
    void aTokenGrantingThePrivateTopicOpensItsStreamAsQueryParameterHeaderOrCookie() {
        String id = unique();
        String topic = "blog/" + id + "/comments";
        String token = Tokens.grant(inAMinute(), "alice", topic);
        List<SseClient> streams = List.of(
                SseClient.open(uri("/api/subscribe/" + topic + "?token=" + token)),
                SseClient.open(uri("/api/subscribe/" + topic), Map.of("Authorization", "Bearer " + token)),
                SseClient.open(uri("/api/subscribe/" + topic), Map.of("Cookie", "realtime_token=" + token)));
        try {
            for (SseClient sse : streams) {
                assertEquals(200, sse.status());
                sse.awaitText(OPENING + ":\nid:0-0\n\n");
            }
            Await.until(
                    "three live subscribers", () -> fanout.liveSubscribers(Topic.parse("blog", id, "comments")) == 3);
            String eventId = asPublisher()
                    .contentType("application/json")
                    .body(COMMENT)
                    .post("/api/publish/" + topic)
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            for (SseClient sse : streams) {
                Await.until("the event on every stream", () -> sse.text().contains("id:" + eventId + "\n"));
            }
        } finally {
            streams.forEach(SseClient::close);
        }
    }

    @Test
    void aValidTokenThatDoesNotGrantThePrivateTopicGets403() {
        String token = Tokens.grant(inAMinute(), null, "blog/1/comments", "trip/*/comments");
        isProblem(
                given().queryParam("token", token)
                        .accept("text/event-stream")
                        .get("/api/subscribe/blog/2/comments")
                        .then(),
                403,
                "topic-not-granted");
        isProblem(
                given().queryParam("token", token)
                        .get("/api/history/blog/1/likes")
                        .then(),
                403,
                "topic-not-granted");
    }

    @Test
    void aWildcardGrantsExactlyOneWholeSegment() {
        String everyChannel = Tokens.grant(inAMinute(), null, "blog/42/*");
        given().queryParam("token", everyChannel)
                .get("/api/history/blog/42/likes")
                .then()
                .statusCode(200);
        given().queryParam("token", everyChannel)
                .get("/api/history/blog/42/presence")
                .then()
                .statusCode(200);
        given().queryParam("token", everyChannel)
                .get("/api/history/blog/421/likes")
                .then()
                .statusCode(403);
        given().queryParam("token", everyChannel)
                .get("/api/history/post/42/likes")
                .then()
                .statusCode(403);

        String everyBlog = Tokens.grant(inAMinute(), null, "blog/*/comments");
        given().queryParam("token", everyBlog)
                .get("/api/history/blog/any-id.at_all/comments")
                .then()
                .statusCode(200);
        given().queryParam("token", everyBlog)
                .get("/api/history/blog/1/likes")
                .then()
                .statusCode(403);
    }

    @Test
    void anExpiredForgedOrUnsignedTokenGets401EvenOnAPublicTopic() {
        String expired = Tokens.grant(Instant.now().minusSeconds(5), null, "*/*/*");
        isProblem(
                        given().queryParam("token", expired)
                                .accept("text/event-stream")
                                .get("/api/subscribe/blog/1/comments")
                                .then(),
                        401,
                        "token-expired")
                .header("WWW-Authenticate", "Bearer realm=\"event-hub\", error=\"invalid_token\"");
        isProblem(
                given().queryParam("token", expired)
                        .get("/api/history/trip/1/comments")
                        .then(),
                401,
                "token-expired");

        String forged = Tokens.sign(
                "not-the-hub-secret-but-long-enough-0123456789",
                Map.of("alg", "HS256"),
                Map.of("exp", inAMinute().getEpochSecond(), "topics", List.of("*/*/*")));
        String unsigned = Tokens.encode("{\"alg\":\"none\"}") + "."
                + Tokens.encode("{\"exp\":" + inAMinute().getEpochSecond() + ",\"topics\":[\"*/*/*\"]}") + ".";
        for (String token : List.of(forged, unsigned, "garbage")) {
            isProblem(
                    given().cookie("realtime_token", token)
                            .accept("text/event-stream")
                            .get("/api/subscribe/trip/1/comments")
                            .then(),
                    401,
                    "invalid-token");
        }
    }

    @Test
    void aStreamEndsWithATokenExpiredMessageWhenItsTokenExpires() {
        String id = unique();
        String topic = "post/" + id + "/comments";
        // exp is in whole seconds: 2 s ahead, plus the profile's 1 s skew, ends the stream in 2 to 3 s.
        String token = Tokens.grant(Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2), null, topic);
        try (SseClient sse = SseClient.open(uri("/api/subscribe/" + topic + "?token=" + token))) {
            sse.awaitText(OPENING + ":\nid:0-0\n\n");
            Await.until("live", () -> fanout.liveSubscribers(Topic.parse("post", id, "comments")) == 1);
            String eventId = asPublisher()
                    .contentType("application/json")
                    .body(COMMENT)
                    .post("/api/publish/" + topic)
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            Await.until("the stream ended by the hub", Duration.ofSeconds(10), sse::ended);
            String text = sse.text();
            assertTrue(text.contains("id:" + eventId + "\n"), text);
            assertTrue(
                    text.endsWith("\n\ndata:{\"action\":\"token_expired\"}\n\n"), "a last data-only message: " + text);
            Await.until(
                    "the connection released", () -> fanout.liveSubscribers(Topic.parse("post", id, "comments")) == 0);
        }
    }

    @Test
    void historyOfAPrivateTopicIsReadWithThePublishKeyOrAGrantingToken() {
        String topic = "blog/" + unique() + "/comments";
        asPublisher()
                .contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/" + topic)
                .then()
                .statusCode(201);
        given().get("/api/history/" + topic).then().statusCode(401);
        asPublisher(TestKeys.NEXT_KEY)
                .get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .body("events.size()", equalTo(1));
        given().header("Authorization", "Bearer " + Tokens.grant(inAMinute(), null, topic))
                .get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .body("events.size()", equalTo(1));
    }

    @Test
    void theTokensSubIsTheViewerAndAViewerParameterCannotOverrideIt() {
        String token = Tokens.grant(inAMinute(), "alice", "trip/1/presence");
        assertEquals(
                "alice",
                given().queryParam("token", token)
                        .queryParam("viewer", "mallory")
                        .get("/test/viewer")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
        assertEquals(
                "alice",
                given().cookie("realtime_token", token)
                        .queryParam("viewer", "mallory")
                        .get("/test/viewer")
                        .then()
                        .extract()
                        .asString());
        assertEquals(
                "mallory",
                given().queryParam("viewer", "mallory")
                        .get("/test/viewer")
                        .then()
                        .extract()
                        .asString(),
                "without a token the unverified viewer is all there is");
        given().queryParam("token", "forged")
                .queryParam("viewer", "mallory")
                .get("/test/viewer")
                .then()
                .statusCode(401);
    }

    @Test
    void withATokenSecretAPresenceViewerComesFromATokenNeverFromTheQueryAlone() {
        String id = unique();
        // An SseClient, not REST Assured: if the stream were opened, the test fails at once instead of
        // waiting for a read timeout.
        try (SseClient refused =
                SseClient.open(uri("/api/subscribe/trip/" + id + "/presence?viewer=ann&name=Mallory"))) {
            assertEquals(401, refused.status());
            assertEquals("Bearer realm=\"event-hub\"", refused.header("WWW-Authenticate"));
            Await.until("the problem body", refused::ended);
            assertTrue(refused.text().contains("\"type\":\"urn:event-hub:problem:token-required\""), refused.text());
        }
        String token = Tokens.grant(inAMinute(), "ann", "trip/" + id + "/presence");
        try (SseClient ann = SseClient.open(uri("/api/subscribe/trip/" + id + "/presence?name=Ann&token=" + token));
                SseClient watcher = SseClient.open(uri("/api/subscribe/trip/" + id + "/presence"))) {
            assertEquals(
                    "{\"action\":\"presence_snapshot\",\"viewers\":[{\"id\":\"ann\",\"name\":\"Ann\"}],\"count\":1}",
                    ann.awaitData(1).get(0));
            assertTrue(watcher.awaitData(1).get(0).endsWith("\"count\":1}"), "watching needs no viewer and no token");
        }
    }

    // ---- values that could reach the stream ----

    @Test
    void lineBreaksAndNulInALastEventIdCannotInjectSseFields() {
        String topic = "trip/" + unique() + "/comments";
        asPublisher()
                .contentType("application/json")
                .body(COMMENT)
                .post("/api/publish/" + topic)
                .then()
                .statusCode(201);
        String injected = "event:%20evil%0D%0Aid:%20evil%0D%0A%0D%0Adata:%20evil";
        List<String> requests = List.of(
                get(topic + "?lastEventId=1-1%0D%0A" + injected, ""),
                get(topic + "?lastEventId=1-1%0A" + injected + "%00", ""),
                get(topic + "?lastEventId=%00" + injected, ""),
                get(topic, "Last-Event-ID: 1-1\revent: evil\r\n"),
                get(topic, "Last-Event-ID: 1-1\u0000\nevent: evil\r\n"),
                get(topic, "Last-Event-ID: 1-1\r\n event: evil\r\n\tdata: evil\r\n"));
        for (String request : requests) {
            RawHttp.Reply reply = RawHttp.exchange(
                    base.getPort(),
                    request.getBytes(StandardCharsets.ISO_8859_1),
                    Duration.ofSeconds(5),
                    body -> body.contains("\ndata:") && body.endsWith("\n\n"));
            assertTrue(reply.status() == 200 || reply.status() == 400, reply.status() + " for " + request);
            assertFalse(reply.body().contains("evil"), reply.body());
            for (String line : reply.body().split("\n")) {
                assertTrue(
                        line.isEmpty()
                                || line.equals(":")
                                || line.matches("retry:[0-9]+")
                                || line.matches("id:[a-z0-9]+-[0-9]+")
                                || line.startsWith("data:{\"action\":\"resync\""),
                        "unexpected line \"" + line + "\" in " + reply.body());
            }
            if (reply.status() == 200) {
                assertTrue(
                        reply.body().contains("data:{\"action\":\"resync\",\"reason\":\"unknown_id\""), reply.body());
            }
        }
    }

    private static String get(String topicAndQuery, String extraHeaders) {
        return "GET /api/subscribe/" + topicAndQuery + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + extraHeaders + "\r\n";
    }
}
