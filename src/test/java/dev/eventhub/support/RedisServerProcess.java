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
    private final List<String> extraArgs;
    private Process process;

    private RedisServerProcess(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    public static RedisServerProcess start() {
        return start(List.of());
    }

    /** A replica of {@code primary} ({@code --replicaof}), once it has synchronised with it. */
    public static RedisServerProcess startReplicaOf(RedisServerProcess primary) {
        RedisServerProcess replica = start(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
        Await.until(
                "replica on port " + replica.port() + " in sync",
                Duration.ofSeconds(10),
                () -> replica.call("INFO", "replication").contains("master_link_status:up"));
        return replica;
    }

    private static RedisServerProcess start(List<String> extraArgs) {
        try {
            RedisServerProcess server =
                    new RedisServerProcess(freePort(), Files.createTempDirectory("event-hub-redis"), extraArgs);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one command on a connection of its own and returns the reply's text (a status, an
     * integer, an error, or a bulk string's body), for test set-up such as {@code REPLICAOF NO ONE}.
     */
    public String call(String... args) {
        StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
        for (String arg : args) {
            request.append('$')
                    .append(arg.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n");
            request.append(arg).append("\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            String line = readLine(in);
            if (line.startsWith("$")) {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return null;
                }
                byte[] body = new byte[length];
                in.readFully(body);
                return new String(body, StandardCharsets.UTF_8);
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLine(java.io.DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
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
        command.addAll(extraArgs);
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
