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
 * nodes or fail over start their own and close it (a shutdown hook closes it too, should a test
 * end without). Every node runs with {@code cluster-node-timeout} {@value #NODE_TIMEOUT_MILLIS} ms,
 * so a replica takes over from a killed master within a few seconds.
 */
public final class RedisCluster implements AutoCloseable {

    /** {@code cluster-node-timeout}: how long a master may be unreachable before it counts as failed. */
    public static final int NODE_TIMEOUT_MILLIS = 1000;

    /** How often a wait on the cluster's state asks again (each ask is a {@code redis-cli} process). */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(50);

    private static RedisCluster shared;

    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    /** One node: its port and its process (null once killed). */
    public static final class Node {
        final int port;
        volatile Process process;
        String id;

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
        }
        return shared;
    }

    public static RedisCluster start(int masters, int replicasEach) {
        try {
            Path base = Files.createDirectories(Path.of("target", "redis-cluster"));
            RedisCluster cluster = new RedisCluster(Files.createTempDirectory(base.toAbsolutePath(), "cluster"));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
            try {
                cluster.startNodes(masters * (1 + replicasEach));
                cluster.create(replicasEach);
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
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

    /**
     * Has {@code replica} take over from its master: with no option, with the master's agreement
     * ({@code CLUSTER FAILOVER}: the master stops taking writes, the replica catches up, then is
     * promoted); {@code TAKEOVER} at once, without the master or the other masters, whatever it lacks.
     */
    public void failover(Node replica, String... option) {
        List<String> args = new ArrayList<>(List.of("CLUSTER", "FAILOVER"));
        args.addAll(List.of(option));
        String answer = cli(replica.port, args.toArray(String[]::new));
        if (!answer.trim().equals("OK")) {
            throw new AssertionError("CLUSTER FAILOVER on " + replica.port + ": " + answer);
        }
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

    /** The live master that serves {@code slot}, as the live nodes agree (CLUSTER NODES). */
    public Node masterOf(int slot) {
        for (String[] line : clusterNodes()) {
            if (line[2].contains("master") && !failed(line) && serves(line, slot)) {
                return node(line);
            }
        }
        throw new AssertionError("no live master serves slot " + slot + ": " + cliOnAnyLiveNode("CLUSTER", "NODES"));
    }

    /** A live replica of {@code master}, which it follows with an up link. */
    public Node replicaOf(Node master) {
        String masterId = id(master);
        for (String[] line : clusterNodes()) {
            if (line[2].contains("slave") && !failed(line) && line[3].equals(masterId)) {
                return node(line);
            }
        }
        throw new AssertionError("no live replica of " + master.port + ": " + cliOnAnyLiveNode("CLUSTER", "NODES"));
    }

    /**
     * Waits until every live node sees {@code node} as a master serving {@code slot} and reports
     * {@code cluster_state:ok}: the takeover is complete as far as the cluster is concerned.
     */
    public void awaitMasterOf(int slot, Node node, Duration timeout) {
        Await.until(
                "node " + node.port + " the master of slot " + slot + " on every live node",
                timeout,
                CHECK_INTERVAL,
                () -> {
                    for (Node live : liveNodes()) {
                        String info = cliQuiet(live.port, "CLUSTER", "INFO");
                        if (!info.contains("cluster_state:ok")) {
                            return false;
                        }
                        String id = id(node);
                        boolean seen = parse(cliQuiet(live.port, "CLUSTER", "NODES")).stream()
                                .anyMatch(line -> line[0].equals(id)
                                        && line[2].contains("master")
                                        && !failed(line)
                                        && serves(line, slot));
                        if (!seen) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** The node's cluster id (CLUSTER MYID). */
    public String id(Node node) {
        if (node.id == null) {
            node.id = cli(node.port, "CLUSTER", "MYID").trim();
        }
        return node.id;
    }

    public List<Node> liveNodes() {
        return nodes.stream().filter(n -> n.process != null).toList();
    }

    private List<String[]> clusterNodes() {
        return parse(cliOnAnyLiveNode("CLUSTER", "NODES"));
    }

    private String cliOnAnyLiveNode(String... args) {
        AssertionError last = null;
        for (Node node : liveNodes()) {
            try {
                return cli(node.port, args);
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last != null ? last : new AssertionError("no live node");
    }

    /** CLUSTER NODES lines, split: id, address, flags, master id, ping, pong, epoch, link, slots... */
    private static List<String[]> parse(String clusterNodes) {
        return clusterNodes
                .lines()
                .filter(line -> !line.isBlank())
                .map(line -> line.trim().split(" "))
                .filter(fields -> fields.length >= 8)
                .toList();
    }

    private static boolean failed(String[] line) {
        return line[2].contains("fail") || line[2].contains("noaddr") || line[7].equals("disconnected");
    }

    private static boolean serves(String[] line, int slot) {
        for (int i = 8; i < line.length; i++) {
            String range = line[i];
            if (range.startsWith("[")) {
                continue; // a slot being migrated or imported
            }
            int dash = range.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    private Node node(String[] line) {
        String address = line[1];
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
        return nodes.stream()
                .filter(n -> n.port == port)
                .findFirst()
                .orElseThrow(() -> new AssertionError("not a node of this cluster: " + address));
    }

    /**
     * Starts a killed node again on its port and with its {@code nodes.conf}, as an orchestrator
     * restarts a crashed server: it rejoins the cluster under its id (without data: no persistence),
     * a former master as a replica of the node that took its slots. Waits until it answers.
     */
    public void restart(Node node) {
        if (node.process != null) {
            throw new IllegalStateException("node " + node.port + " is running");
        }
        try {
            launch(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until(
                "cluster node " + node.port + " restarted",
                Duration.ofSeconds(10),
                () -> cliQuiet(node.port, "PING").contains("PONG"));
    }

    /** Waits until {@code replica} follows {@code master} with its replication link up. */
    public void awaitReplicating(Node replica, Node master, Duration timeout) {
        String masterId = id(master);
        Await.until("node " + replica.port + " replicating " + master.port, timeout, CHECK_INTERVAL, () -> {
            String info = cliQuiet(replica.port, "INFO", "replication");
            boolean following = parse(cliQuiet(replica.port, "CLUSTER", "NODES")).stream()
                    .anyMatch(line -> line[2].contains("myself") && line[3].equals(masterId));
            return following && info.contains("master_port:" + master.port) && info.contains("master_link_status:up");
        });
    }

    private void launch(Node node) throws IOException {
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
                        Integer.toString(NODE_TIMEOUT_MILLIS),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--logfile",
                        nodeDir.resolve("redis.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        nodeDir.resolve("stdout.log").toFile()))
                .start();
    }

    /** Stops every node still running (SIGKILL: nothing of theirs is kept) and waits for it to exit. */
    @Override
    public void close() {
        for (Node node : nodes) {
            Process process = node.process;
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                node.process = null;
            }
        }
    }

    private synchronized void startNodes(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Node node = new Node(freePort());
            nodes.add(node);
            launch(node);
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
