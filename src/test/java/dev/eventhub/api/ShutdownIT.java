package dev.eventhub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.support.Await;
import dev.eventhub.support.PackagedApp;
import dev.eventhub.support.SseClient;
import dev.eventhub.support.TestKeys;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged application (the jar, or the native binary: {@link PackagedApp}): readiness goes down and new streams get 503 at once, publishes
 * still work and reach the open streams, the open streams end spread over the drain window with a
 * retry hint, and the process exits cleanly soon after.
 */
class ShutdownIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int status(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void sigtermDrainsStreamsInOrderThenExits() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        File log = File.createTempFile("event-hub-shutdown", ".log");
        Process hub = new ProcessBuilder(PackagedApp.command(
                        "-Dquarkus.http.port=" + port,
                        "-Drealtime.store=memory",
                        "-Drealtime.shutdown.drain=2s",
                        "-Drealtime.publish-keys=" + TestKeys.PUBLISH_KEY))
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        String base = "http://127.0.0.1:" + port;
        try {
            Await.until(
                    "started",
                    Duration.ofSeconds(30),
                    () -> status(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                                    .build())
                            == 200);
            List<SseClient> streams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                SseClient sse = SseClient.open(URI.create(base + "/api/subscribe/trip/drain/comments"));
                sse.awaitText(":\nretry:2000\n\n:\nid:0-0\n\n");
                streams.add(sse);
            }
            long signalled = System.nanoTime();
            hub.destroy(); // SIGTERM
            Await.until(
                    "readiness down",
                    Duration.ofSeconds(5),
                    () -> status(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                                    .build())
                            == 503);
            assertEquals(
                    503,
                    status(HttpRequest.newBuilder(URI.create(base + "/api/subscribe/trip/drain/comments"))
                            .build()),
                    "no new streams while draining");
            int published = status(HttpRequest.newBuilder(URI.create(base + "/api/publish/trip/drain/comments"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + TestKeys.PUBLISH_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"new_comment\",\"comment\":{\"id\":1}}"))
                    .build());
            assertEquals(201, published, "publishes still work during the drain");
            // A stream ended before that publish resumes it from the log elsewhere; it is in the log:
            String history = HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/history/trip/drain/comments"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(history.contains("\"comment\":{\"id\":1}"), history);
            for (SseClient sse : streams) {
                Await.until("stream ended", Duration.ofSeconds(5), sse::ended);
                String text = sse.text();
                assertTrue(text.matches("(?s).*\n\n:\nretry:2\\d{3}\n\n$"), "ends with a jittered retry hint: " + text);
            }
            assertTrue(hub.waitFor(15, TimeUnit.SECONDS), "exits after the drain");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            assertTrue(tookMillis >= 1_000, "waited for the drain window: " + tookMillis + " ms");
            String output = Files.readString(log.toPath());
            // 143 = 128 + SIGTERM: the exit status after a signal-initiated, orderly shutdown.
            assertTrue(hub.exitValue() == 0 || hub.exitValue() == 143, "exit " + hub.exitValue() + "\n" + output);
            assertTrue(output.contains("event-hub stopped in"), output);
            assertTrue(!output.contains("ERROR"), output);
            streams.forEach(SseClient::close);
        } finally {
            hub.destroyForcibly();
        }
    }
}
