package dev.eventhub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventhub.support.Await;
import dev.eventhub.support.SseClient;
import dev.eventhub.support.TestKeys;
import dev.eventhub.support.TlsRedisServer;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar with only {@code REDIS_URL=rediss://user:password@host:port} set, as on a managed
 * Redis whose certificate a public CA signed: the JVM's trust store stands in for the public CAs (the
 * test CA is its only entry), and the hub sets nothing else. The host name is verified: the same
 * server reached as {@code 127.0.0.1}, which its certificate does not name, is refused.
 */
class TlsDefaultsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TlsRedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = TlsRedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void redissUrlAloneWorksWithAPubliclyTrustedCertificate() throws Exception {
        try (Hub hub = Hub.start(redis.url("localhost"))) {
            String topic = "trip/tls-default/comments";
            try (SseClient sse = SseClient.open(URI.create(hub.base + "/api/subscribe/" + topic))) {
                sse.awaitText(":\nretry:2000\n\n:\nid:0-0\n\n");
                assertEquals(201, hub.publish(topic), hub.output());
                List<String> data = sse.awaitData(1);
                assertTrue(data.get(0).contains("\"id\":\"c1\""), data.toString());
            }
            assertTrue(hub.output().contains("TLS, certificate and host name verified (HTTPS)"), hub.output());
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
        try (Hub hub = Hub.start(redis.url("127.0.0.1"))) {
            assertEquals(503, hub.publish("trip/tls-wrong-host/comments"), hub.output());
            // Same server, CA and credentials as above: only the host name differs.
            Await.until("the refusal is logged", () -> hub.output().contains("Failed to create SSL connection"));
        }
    }

    /** The packaged jar on a free port with the test CA as the JVM's only trusted CA. */
    private record Hub(Process process, String base, File log) implements AutoCloseable {

        static Hub start(String redisUrl) throws Exception {
            Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
            assertTrue(Files.exists(jar), "package the application first (mvn verify does)");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            File log = File.createTempFile("event-hub-tls", ".log");
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Djavax.net.ssl.trustStore=" + redis.caTrustStore(),
                            "-Djavax.net.ssl.trustStorePassword=" + TlsRedisServer.TRUST_STORE_PASSWORD,
                            "-Dquarkus.http.port=" + port,
                            "-Dquarkus.shutdown.delay-enabled=false",
                            "-Drealtime.publish-keys=" + TestKeys.PUBLISH_KEY,
                            "-jar",
                            jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log);
            builder.environment().put("REDIS_URL", redisUrl);
            Hub hub = new Hub(builder.start(), "http://127.0.0.1:" + port, log);
            Await.until("started", Duration.ofSeconds(30), () -> hub.status("/q/health/live") == 200);
            return hub;
        }

        int status(String path) {
            try {
                return HTTP.send(
                                HttpRequest.newBuilder(URI.create(base + path)).build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (Exception e) {
                return -1;
            }
        }

        int publish(String topic) throws Exception {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/publish/" + topic))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + TestKeys.PUBLISH_KEY)
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"action\":\"new_comment\",\"comment\":{\"id\":\"c1\"}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }

        String output() {
            try {
                return Files.readString(log.toPath());
            } catch (Exception e) {
                return "";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
