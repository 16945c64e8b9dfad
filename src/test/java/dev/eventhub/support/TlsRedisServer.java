package dev.eventhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} that speaks only TLS ({@code --tls-port}, no plain port), with a private
 * CA and a server certificate for {@code localhost} (DNS name only, no IP address) generated with
 * {@code openssl} into {@code target/}, and an ACL user with a password while the default user is
 * off: what a managed Redis looks like. Started on a free port; stopped by {@link #close()}.
 */
public final class TlsRedisServer implements AutoCloseable {

    public static final String USER = "hub";

    private final int port;
    private final Path dir;
    private final String password = UUID.randomUUID().toString();
    private Process process;

    private TlsRedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static TlsRedisServer start() {
        try {
            Path base = Files.createDirectories(Path.of("target", "redis-tls"));
            TlsRedisServer server =
                    new TlsRedisServer(freePort(), Files.createTempDirectory(base.toAbsolutePath(), "server"));
            server.generateCertificates();
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code rediss://hub:<password>@<host>:<port>}: the URL a managed Redis hands out. */
    public String url(String host) {
        return "rediss://" + USER + ":" + password + "@" + host + ":" + port;
    }

    /** The private CA's certificate (PEM), for a TLS registry trust store. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** The CA in a PKCS#12 trust store (password {@link #TRUST_STORE_PASSWORD}), for {@code javax.net.ssl.trustStore}. */
    public Path caTrustStore() {
        return dir.resolve("ca.p12");
    }

    public static final String TRUST_STORE_PASSWORD = "changeit";

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private void generateCertificates() {
        Path ext = dir.resolve("server.ext");
        try {
            Files.writeString(ext, "subjectAltName=DNS:localhost\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=event-hub test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt");
        run(
                "openssl",
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                "server.key",
                "-out",
                "server.csr");
        run(
                "openssl",
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.crt");
        run(
                "keytool",
                "-importcert",
                "-noprompt",
                "-alias",
                "test-ca",
                "-file",
                "ca.crt",
                "-storetype",
                "PKCS12",
                "-keystore",
                "ca.p12",
                "-storepass",
                TRUST_STORE_PASSWORD);
    }

    private void startProcess() {
        Path conf = dir.resolve("redis.conf");
        try {
            Files.write(
                    conf,
                    List.of(
                            "port 0",
                            "tls-port " + port,
                            "bind 127.0.0.1",
                            "dir " + dir,
                            "tls-cert-file " + dir.resolve("server.crt"),
                            "tls-key-file " + dir.resolve("server.key"),
                            "tls-ca-cert-file " + dir.resolve("ca.crt"),
                            "tls-auth-clients no",
                            "save \"\"",
                            "appendonly no",
                            "logfile " + dir.resolve("redis.log"),
                            "user default off",
                            "user " + USER + " on >" + password + " ~* &* +@all"));
            process = new ProcessBuilder("redis-server", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("redis-server is needed on PATH (.ci/run installs it)", e);
        }
        Await.until("TLS redis-server on port " + port, Duration.ofSeconds(10), () -> {
            try {
                return Files.exists(dir.resolve("redis.log"))
                        && Files.readString(dir.resolve("redis.log")).contains("Ready to accept connections");
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void run(String... command) {
        try {
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile())
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(
                        String.join(" ", command) + " failed: " + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
