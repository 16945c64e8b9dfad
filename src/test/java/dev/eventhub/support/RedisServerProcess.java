package dev.eventhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} this test starts on a free port and may kill and restart: tests never stop
 * a server they did not start. Appends every write to its AOF before answering
 * ({@code appendfsync always}), so a restart keeps every acknowledged write.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServerProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static RedisServerProcess start() {
        try {
            RedisServerProcess server =
                    new RedisServerProcess(freePort(), Files.createTempDirectory("event-hub-redis"));
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Kills the server as a crash would (SIGKILL): nothing is flushed beyond what was acknowledged. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Await.until("port " + port + " closed", Duration.ofSeconds(10), () -> !answers());
    }

    /** Starts it again on the same port with the same data directory. */
    public void restart() {
        startProcess();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--daemonize",
                "no",
                "--logfile",
                dir.resolve("redis.log").toString()));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("redis-server is needed on PATH (.ci/run installs it)", e);
        }
        Await.until("redis-server on port " + port, Duration.ofSeconds(10), this::answers);
    }

    private boolean answers() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = socket.getInputStream().read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
