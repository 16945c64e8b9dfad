package dev.eventhub.security;

import static dev.eventhub.support.TestKeys.asPublisher;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.fanout.Fanout;
import dev.eventhub.support.Await;
import dev.eventhub.support.RawHttp;
import dev.eventhub.support.SseClient;
import dev.eventhub.support.TestKeys;
import dev.eventhub.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Throws well over a thousand generated malformed requests at a running hub (paths, methods,
 * headers, ids, tokens, JSON and binary bodies, broken HTTP framing) and checks that none gets a
 * 5xx, and that the hub still publishes, streams and frees every stream afterwards. Seeded, so a
 * failure names the request that caused it and reproduces: {@code -Dbadinput.seed=<seed>}.
 */
@QuarkusTest
@TestProfile(SecureProfile.class)
class BadInputSuiteTest {

    private static final long SEED = Long.getLong("badinput.seed", 20_260_101L);
    private static final int REQUESTS = Integer.getInteger("badinput.requests", 1500);
    /** Generation stops at this budget; the test fails if that leaves fewer than a thousand requests. */
    private static final Duration BUDGET = Duration.ofSeconds(60);

    private static final int MINIMUM = 1000;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final String[] TYPES = {"trip", "blog", "post", "location", "car", "TRIP", "", "*", "..", "%2e%2e"};
    private static final String[] CHANNELS = {"comments", "likes", "presence", "chat", "", "*", "comments;x=1", "%00"};
    private static final String[] ROOTS = {
        "/api/publish/",
        "/api/subscribe/",
        "/api/history/",
        "/api/presence/",
        "/api/",
        "/",
        "//api//publish/",
        "/api/./subscribe/",
        "/q/health/",
        "/api/publish/../subscribe/"
    };
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO"
    };
    private static final String[] CONTENT_TYPES = {
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/merge-patch+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        ";;;",
        "application/",
        "*/*",
        "application/json; charset=nonsense",
        "application/json;;q=\"",
        "x".repeat(300)
    };

    @TestHTTPResource("/")
    URL base;

    @Inject
    Fanout fanout;

    private Random random;

    @Test
    void aThousandMalformedRequestsGetNo5xxAndTheHubKeepsServing() {
        random = new Random(SEED);
        List<Supplier<Probe>> generators =
                List.of(this::pathProbe, this::publishBodyProbe, this::tokenProbe, this::headerProbe, this::rawProbe);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        int sent = 0;
        while (sent < REQUESTS && System.nanoTime() - started < BUDGET.toNanos()) {
            Probe probe = generators.get(random.nextInt(generators.size())).get();
            int status = probe.send().getAsInt();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                failures.add("#" + sent + " " + status + " for " + probe.description());
            }
            sent++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "Bad-input suite: %d requests (seed %d) in %.1f s; statuses (-1: connection closed) %s%n",
                sent, SEED, seconds, statuses);
        assertTrue(failures.isEmpty(), failures.size() + " requests got a 5xx:\n" + String.join("\n", failures));
        assertTrue(sent >= MINIMUM, "only " + sent + " requests fitted in " + BUDGET);
        theHubStillServes();
    }

    private void theHubStillServes() {
        Await.until("every fuzzed stream released", Duration.ofSeconds(20), () -> fanout.openStreams() == 0);
        given().get("/q/health/live").then().statusCode(200);
        String topic = "trip/" + UUID.randomUUID() + "/comments";
        try (SseClient sse = SseClient.open(uri("/api/subscribe/" + topic))) {
            sse.awaitText(":\nretry:2000\n\n:\nid:0-0\n\n");
            Await.until("live", () -> fanout.openStreams() == 1);
            String id = asPublisher(TestKeys.NEXT_KEY)
                    .contentType("application/json")
                    .body("{\"action\":\"new_comment\",\"comment\":{\"id\":\"after-the-storm\"}}")
                    .post("/api/publish/" + topic)
                    .then()
                    .extract()
                    .path("id");
            Await.until("the event delivered", () -> sse.text().contains("id:" + id + "\n"));
        }
        assertEquals(1, (int) given().get("/api/history/" + topic)
                .then()
                .statusCode(200)
                .extract()
                .path("events.size()"));
    }

    // ---- generators: each returns what it sends, and how ----

    /** A request and a description of it; {@code send} answers the status, or -1 when the connection closed without one. */
    private record Probe(String description, IntSupplier send) {}

    private Probe pathProbe() {
        StringBuilder path = new StringBuilder(pick(ROOTS));
        int segments = random.nextInt(6);
        for (int i = 0; i < segments; i++) {
            path.append(
                    switch (random.nextInt(4)) {
                        case 0 -> pick(TYPES);
                        case 1 -> id();
                        case 2 -> pick(CHANNELS);
                        default -> percentGarbage(1 + random.nextInt(20));
                    });
            if (i < segments - 1 || random.nextBoolean()) {
                path.append('/');
            }
        }
        if (random.nextBoolean()) {
            path.append('?')
                    .append(pick(new String[] {"after", "lastEventId", "token", "viewer", "x", ""}))
                    .append('=')
                    .append(queryValue());
        }
        return http(pick(METHODS), path.toString(), headers(), body());
    }

    private Probe publishBodyProbe() {
        String path = "/api/publish/" + pick(new String[] {"trip", "blog", "post"}) + "/" + UUID.randomUUID() + "/"
                + pick(new String[] {"comments", "rating", "likes", "saves", "presence", "images"});
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + (random.nextBoolean() ? TestKeys.PUBLISH_KEY : TestKeys.NEXT_KEY));
        headers.put("Content-Type", random.nextInt(4) == 0 ? pick(CONTENT_TYPES) : "application/json");
        return http("POST", path, headers, body());
    }

    private Probe tokenProbe() {
        String topic = pick(new String[] {"blog", "post", "trip"}) + "/" + id() + "/"
                + pick(new String[] {"comments", "likes"});
        String token = token();
        String path = (random.nextBoolean() ? "/api/subscribe/" : "/api/history/") + topic;
        Map<String, String> headers = new LinkedHashMap<>();
        switch (random.nextInt(3)) {
            case 0 -> path += "?token=" + encode(token);
            case 1 -> headers.put("Authorization", "Bearer " + token);
            default -> headers.put("Cookie", "realtime_token=" + encode(token));
        }
        return http("GET", path, headers, null);
    }

    private Probe headerProbe() {
        Map<String, String> headers = headers();
        headers.put("Last-Event-ID", queryValue());
        headers.put(
                pick(new String[] {"Origin", "Accept", "Cookie", "Authorization", "X-Forwarded-For", "Range"}),
                printable(random.nextInt(200)));
        return http(
                pick(new String[] {"GET", "OPTIONS", "POST"}),
                pick(new String[] {
                    "/api/subscribe/trip/1/comments", "/api/history/blog/1/comments", "/api/publish/trip/1/comments"
                }),
                headers,
                body());
    }

    /** Bytes no HTTP client would send: broken request lines, headers with CR, LF or NUL, broken framing. */
    private Probe rawProbe() {
        String target = "/api/subscribe/trip/" + id() + "/comments";
        String request = switch (random.nextInt(14)) {
            // Garbage ending like a request head, so the server decides at once instead of waiting for more.
            case 0 -> new String(bytes(1 + random.nextInt(300)), StandardCharsets.ISO_8859_1) + "\r\n\r\n";
            case 1 -> "GET " + target + "\r\n\r\n";
            case 2 -> "GET " + target + " HTTP/9.9\r\nHost: x\r\n\r\n";
            case 3 -> "GET /" + "a".repeat(1000 + random.nextInt(20_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 4 -> "GET " + target + "?lastEventId=" + controlString() + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 5 -> "GET " + target + " HTTP/1.1\r\nHost: x\r\nLast-Event-ID: " + controlString() + "\r\n\r\n";
            case 6 ->
                "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000 + random.nextInt(30_000))
                        + "\r\n\r\n";
            case 7 -> "GET " + target + " HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n";
            case 8 ->
                "POST /api/publish/trip/1/comments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestKeys.PUBLISH_KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + pick(new String[] {"-1", "abc", "99999999999", "1, 2", "0x10"}) + "\r\n\r\n{}";
            case 9 ->
                "POST /api/publish/trip/1/comments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestKeys.PUBLISH_KEY
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + pick(new String[] {
                            "zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\r\n\r\n", "-1\r\n\r\n", "fffffffffff\r\n{}\r\n"
                        });
            case 10 ->
                "POST /api/publish/trip/1/comments HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked"
                        + "\r\n\r\n0\r\n\r\n";
            case 11 ->
                "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0000" + controlString() + "\r\n\r\n";
            case 12 -> "GET " + target + " HTTP/1.0\r\n\r\n";
            default -> "GET " + target + " HTTP/1.1\r\n" + "X-H: v\r\n".repeat(200 + random.nextInt(2000)) + "\r\n";
        };
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        String description =
                "raw " + printableForm(request.length() > 200 ? request.substring(0, 200) + "..." : request);
        return new Probe(
                description,
                () -> RawHttp.exchange(base.getPort(), bytes, Duration.ofSeconds(1), body -> true)
                        .status());
    }

    // ---- pieces ----

    private Probe http(String method, String path, Map<String, String> headers, byte[] body) {
        URI uri;
        try {
            uri = uri(path);
        } catch (IllegalArgumentException e) {
            uri = uri("/api/" + encode(path));
        }
        URI target = uri;
        String description = method + " " + path + " " + headers.keySet() + " body "
                + (body == null
                        ? "none"
                        : body.length + " bytes: "
                                + printableForm(
                                        new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8)));
        return new Probe(description, () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(10))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            try {
                headers.forEach(request::header);
            } catch (IllegalArgumentException e) {
                // A value this client will not send; the raw probes cover those.
            }
            try {
                HttpResponse<InputStream> response =
                        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    if (!response.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .startsWith("text/event-stream")) {
                        in.readNBytes(1 << 20); // an open stream is closed at once; anything else is read to the end
                    }
                }
                return response.statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (random.nextInt(5)) {
            case 0 -> headers.put("Authorization", "Bearer " + TestKeys.PUBLISH_KEY);
            case 1 -> headers.put("Authorization", "Bearer " + printable(random.nextInt(80)));
            case 2 ->
                headers.put("Authorization", pick(new String[] {"Basic YTpi", "Bearer", "bearer  x", "Token abc"}));
            default -> {}
        }
        if (random.nextBoolean()) {
            headers.put("Content-Type", pick(CONTENT_TYPES));
        }
        if (random.nextInt(4) == 0) {
            headers.put(
                    "Origin",
                    pick(new String[] {SecureProfile.ORIGIN, "https://evil.example", "null", "*", printable(30)}));
        }
        if (random.nextInt(4) == 0) {
            headers.put(
                    "Accept",
                    pick(new String[] {"text/event-stream", "application/json", "image/png", ";;", "*/*;q=x"}));
        }
        return headers;
    }

    private byte[] body() {
        return switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> new byte[0];
            case 2 -> bytes(random.nextInt(2000));
            case 3 -> mutate("{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\",\"text\":\"hi\"}}");
            case 4 -> mutate("{\"action\":\"rating_updated\",\"rating\":{\"average\":4.5,\"count\":2}}");
            case 5 ->
                ("[".repeat(1 + random.nextInt(5000)) + "]".repeat(random.nextInt(3))).getBytes(StandardCharsets.UTF_8);
            case 6 ->
                ("{\"action\":\"new_comment\",\"comment\":{\"id\":1},\"n\":1" + "0".repeat(random.nextInt(5000)) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            case 7 ->
                ("{\"action\":\"new_comment\",\"comment\":{\"id\":1},\"pad\":\""
                                + "x".repeat(60_000 + random.nextInt(20_000)) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            case 8 -> bytes(1_000_000 + random.nextInt(200_000));
            case 9 -> "{\"action\":\"liked\",\"userId\":\"u\",\"count\":1e999999}".getBytes(StandardCharsets.UTF_8);
            case 10 ->
                ("{\"action\":\"new_comment\",\"action\":\"new_comment\",\"comment\":{\"id\":\"\\ud800\"}}")
                        .getBytes(StandardCharsets.UTF_8);
            default -> printable(random.nextInt(500)).getBytes(StandardCharsets.UTF_8);
        };
    }

    private byte[] mutate(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return random.nextBoolean() ? bytes : Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
    }

    private String token() {
        long now = Instant.now().getEpochSecond();
        return switch (random.nextInt(8)) {
            case 0 -> printable(random.nextInt(100));
            case 1 -> "x".repeat(5000 + random.nextInt(10_000));
            case 2 ->
                Tokens.grant(
                        Instant.now().plusSeconds(random.nextInt(120) - 60),
                        printable(random.nextInt(140)),
                        printable(random.nextInt(30)),
                        "*/*/" + printable(5));
            case 3 ->
                Tokens.signRaw(
                        Tokens.SECRET,
                        "{\"alg\":\"" + pick(new String[] {"HS256", "none", "RS256", ""}) + "\"}",
                        "{\"exp\":"
                                + pick(new String[] {
                                    String.valueOf(now + 60),
                                    "1e400",
                                    "-1",
                                    "\"soon\"",
                                    "[]",
                                    "null",
                                    "9223372036854775807",
                                    "1.5"
                                })
                                + ",\"topics\":"
                                + pick(new String[] {
                                    "[\"*/*/*\"]",
                                    "\"*/*/*\"",
                                    "[1,2]",
                                    "{}",
                                    "[\"trip/**\"]",
                                    "[" + "\"trip/1/comments\",".repeat(200) + "\"x\"]"
                                })
                                + "}");
            case 4 ->
                Tokens.signRaw(
                        Tokens.SECRET,
                        new String(bytes(random.nextInt(40)), StandardCharsets.ISO_8859_1),
                        new String(bytes(random.nextInt(200)), StandardCharsets.ISO_8859_1));
            case 5 ->
                Tokens.encode("{\"alg\":\"none\"}") + "."
                        + Tokens.encode("{\"exp\":" + (now + 60) + ",\"topics\":[\"*/*/*\"]}") + "."
                        + printable(random.nextInt(50));
            case 6 ->
                Tokens.grant(Instant.now().plusSeconds(60), null, "*/*/*")
                        .replace('.', pick(new String[] {",", "..", " "}).charAt(0));
            default ->
                Tokens.grant(
                        Instant.now().plusSeconds(60),
                        "viewer-" + random.nextInt(100),
                        "blog/*/*",
                        "post/*/*",
                        "trip/*/*");
        };
    }

    private String id() {
        return switch (random.nextInt(6)) {
            case 0 -> "x".repeat(120 + random.nextInt(20));
            case 1 -> "x".repeat(1000 + random.nextInt(5000));
            case 2 -> percentGarbage(1 + random.nextInt(10));
            case 3 -> "..";
            default -> String.valueOf(random.nextInt(1000));
        };
    }

    private String queryValue() {
        return switch (random.nextInt(5)) {
            case 0 -> percentGarbage(random.nextInt(30));
            case 1 -> "k3x9q2ma01-" + random.nextLong();
            case 2 -> "0-0";
            case 3 -> "9".repeat(random.nextInt(100));
            default -> encode(printable(random.nextInt(60)));
        };
    }

    private String percentGarbage(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(String.format("%%%02X", random.nextInt(256)));
        }
        return out.toString();
    }

    private String controlString() {
        StringBuilder out = new StringBuilder("1-1");
        for (int i = 0; i < 1 + random.nextInt(6); i++) {
            out.append(pick(new String[] {"\r", "\n", "\u0000", "\r\n event: evil", "\u007f", "\u00ff", "\t"}));
            out.append("data: evil");
        }
        return out.toString();
    }

    private String printable(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return out.toString();
    }

    private byte[] bytes(int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String printableForm(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + base.getPort() + pathAndQuery);
    }
}
