package dev.eventhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A local Redis Cluster of the test's own: {@code masters} primaries with {@code replicasEach}
 * replicas each, every node a {@code redis-server --cluster-enabled yes} on a free port, joined with
 * {@code redis-cli --cluster create ... --cluster-yes}; no Docker. {@link #shared()} is one 3-master
 * cluster for every suite in the JVM (started once, stopped when the JVM exits); tests that kill
 * nodes start their own and close it.
 */
public final class RedisCluster implements AutoCloseable {

    private static RedisCluster shared;

    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    /** One node: its port and its process (null once killed). */
    public static final class Node {
        final int port;
        Process process;

        Node(int port) {
            this.port = port;
        }

        public int port() {
            return port;
        }
    }

    private RedisCluster(Path dir) {
        this.dir = dir;
    }

    /** The JVM's 3-master cluster without replicas, for the contract suites. */
    public static synchronized RedisCluster shared() {
        if (shared == null) {
            shared = start(3, 0);
            RedisCluster started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return shared;
    }

    public static RedisCluster start(int masters, int replicasEach) {
        try {
            Path base = Files.createDirectories(Path.of("target", "redis-cluster"));
            RedisCluster cluster = new RedisCluster(Files.createTempDirectory(base.toAbsolutePath(), "cluster"));
            cluster.startNodes(masters * (1 + replicasEach));
            cluster.create(replicasEach);
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seed nodes as the hub takes them: {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,...}. */
    public String urls() {
        return nodes.stream().map(n -> "redis://127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** {@code redis-cli -p <port> <args>}'s output. */
    public String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return run(command, Duration.ofSeconds(30));
    }

    /** Kills a node as a crash would (SIGKILL). */
    public void kill(Node node) {
        node.process.destroyForcibly();
        try {
            node.process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        node.process = null;
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.process != null) {
                node.process.destroyForcibly();
            }
        }
    }

    private synchronized void startNodes(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Node node = new Node(freePort());
            Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(node.port)));
            node.process = new ProcessBuilder(
                            "redis-server",
                            "--port",
                            Integer.toString(node.port),
                            "--bind",
                            "127.0.0.1",
                            "--dir",
                            nodeDir.toString(),
                            "--cluster-enabled",
                            "yes",
                            "--cluster-config-file",
                            "nodes.conf",
                            "--cluster-node-timeout",
                            "1000",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--logfile",
                            nodeDir.resolve("redis.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(nodeDir.resolve("stdout.log").toFile())
                    .start();
            nodes.add(node);
        }
        for (Node node : nodes) {
            Await.until(
                    "cluster node " + node.port,
                    Duration.ofSeconds(10),
                    () -> cliQuiet(node.port, "PING").contains("PONG"));
        }
    }

    private void create(int replicasEach) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> command.add("127.0.0.1:" + n.port));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasEach), "--cluster-yes"));
        run(command, Duration.ofSeconds(60));
        for (Node node : nodes) {
            Await.until(
                    "cluster state ok on " + node.port,
                    Duration.ofSeconds(30),
                    () -> cliQuiet(node.port, "CLUSTER", "INFO").contains("cluster_state:ok"));
        }
    }

    private String cliQuiet(int port, String... args) {
        try {
            return cli(port, args);
        } catch (AssertionError e) {
            return "";
        }
    }

    private String run(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile(dir, "cli", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " timed out");
            }
            String text = Files.readString(out);
            Files.delete(out);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A free port whose cluster bus port (port + 10000) is free too; below the ephemeral range. */
    private static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(20_000, 30_000);
            if (bindable(port) && bindable(port + 10_000)) {
                return port;
            }
        }
        throw new AssertionError("no free port pair for a cluster node");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
