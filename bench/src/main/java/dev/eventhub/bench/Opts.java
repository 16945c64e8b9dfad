package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

// ------------------------------------------------------------------ options

/** The load generator's options (bench/run.sh passes them; {@code --help} lists them). */
final class Opts {
    String host = "127.0.0.1";
    /** Sent as Authorization: Bearer on publishes (the hub refuses publishes without a key). */
    String publishKey = "";

    int port;
    int streams = 1000;
    int topics = 10;
    double rate = 50;
    int duration = 10;
    int idle = 10;
    int warmup = 5;
    int quiet = 3;
    int hubPollMs = 1000;
    int drainMs = -1;
    /** The longest a drain waits while deliveries still arrive (a server that is behind). */
    int drainMaxMs = 60_000;

    String redisHost = "127.0.0.1";
    int redisPort = 6379;
    String prefix = "bench:unset:";
    long serverPid;
    int clkTck = 100;
    int pubConns = 4;
    int sseThreads = 2;
    int openInflight = 256;
    int openTimeout = 120;
    boolean hub = true;
    boolean baseline = true;
    int baselineStreams = -1;
    int baselineConns = 4;
    int baselinePollMs = 1000;
    int retention = 100;
    Set<String> scriptCommands = new HashSet<>();
    String label = "";
    String mdOut;
    /** fanout: N streams over C topics; multiplex: pages of six topics, one-topic streams against multiplexed. */
    String scenario = "fanout";

    int pages = 1000;
    int trips = 100;
    /** none, or nchan: the same phase against Nchan (on --peer-port, process --peer-pid). */
    String peer = "none";

    int peerPort;
    long peerPid;

    static Opts parse(String[] args) {
        Opts o = new Opts();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (k.equals("--help") || k.equals("-h")) {
                usage();
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + k);
            }
            String v = args[++i];
            switch (k) {
                case "--host" -> o.host = v;
                case "--publish-key" -> o.publishKey = v;
                case "--port" -> o.port = Integer.parseInt(v);
                case "--streams" -> o.streams = Integer.parseInt(v);
                case "--topics" -> o.topics = Integer.parseInt(v);
                case "--rate" -> o.rate = Double.parseDouble(v);
                case "--duration" -> o.duration = Integer.parseInt(v);
                case "--idle" -> o.idle = Integer.parseInt(v);
                case "--warmup" -> o.warmup = Integer.parseInt(v);
                case "--quiet" -> o.quiet = Integer.parseInt(v);
                case "--hub-poll-ms" -> o.hubPollMs = Integer.parseInt(v);
                case "--drain-ms" -> o.drainMs = Integer.parseInt(v);
                case "--drain-max-ms" -> o.drainMaxMs = Integer.parseInt(v);
                case "--redis" -> {
                    int c = v.lastIndexOf(':');
                    o.redisHost = v.substring(0, c);
                    o.redisPort = Integer.parseInt(v.substring(c + 1));
                }
                case "--prefix" -> o.prefix = v;
                case "--server-pid" -> o.serverPid = Long.parseLong(v);
                case "--clk-tck" -> o.clkTck = Integer.parseInt(v);
                case "--pub-conns" -> o.pubConns = Integer.parseInt(v);
                case "--sse-threads" -> o.sseThreads = Integer.parseInt(v);
                case "--open-inflight" -> o.openInflight = Integer.parseInt(v);
                case "--open-timeout" -> o.openTimeout = Integer.parseInt(v);
                case "--hub" -> o.hub = onOff(v);
                case "--baseline" -> o.baseline = onOff(v);
                case "--baseline-streams" -> o.baselineStreams = v.equals("auto") ? -1 : Integer.parseInt(v);
                case "--baseline-conns" -> o.baselineConns = Integer.parseInt(v);
                case "--baseline-poll-ms" -> o.baselinePollMs = Integer.parseInt(v);
                case "--retention" -> o.retention = Integer.parseInt(v);
                case "--script-commands" -> {
                    for (String s : v.split(",")) {
                        if (!s.isBlank()) {
                            o.scriptCommands.add(s.trim().toLowerCase(Locale.ROOT));
                        }
                    }
                }
                case "--label" -> o.label = v;
                case "--md-out" -> o.mdOut = v;
                case "--scenario" -> o.scenario = v;
                case "--pages" -> o.pages = Integer.parseInt(v);
                case "--trips" -> o.trips = Integer.parseInt(v);
                case "--peer" -> o.peer = v;
                case "--peer-port" -> o.peerPort = Integer.parseInt(v);
                case "--peer-pid" -> o.peerPid = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + k);
            }
        }
        if (!isLoopback(o.host) || !isLoopback(o.redisHost)) {
            throw new IllegalArgumentException("only loopback targets are allowed (127.0.0.0/8, localhost)");
        }
        if (o.hub && o.port <= 0) {
            throw new IllegalArgumentException("--port is required for the hub phase");
        }
        if (o.streams < 1 || o.topics < 1 || o.topics > o.streams || o.rate <= 0 || o.duration < 1) {
            throw new IllegalArgumentException("need streams >= topics >= 1, rate > 0, duration >= 1");
        }
        if (!o.scenario.equals("fanout") && !o.scenario.equals("multiplex")) {
            throw new IllegalArgumentException("--scenario is fanout or multiplex");
        }
        if (o.scenario.equals("multiplex") && (o.trips < 1 || o.pages < o.trips)) {
            throw new IllegalArgumentException("need pages >= trips >= 1");
        }
        if (!o.peer.equals("none") && !o.peer.equals("nchan")) {
            throw new IllegalArgumentException("--peer is none or nchan");
        }
        if (o.peer.equals("nchan") && o.peerPort <= 0) {
            throw new IllegalArgumentException("--peer nchan needs --peer-port");
        }
        if (o.drainMs < 0) {
            o.drainMs = o.hubPollMs + 3000;
        }
        if (o.baselineStreams <= 0) {
            o.baselineStreams = Math.min(o.streams, 5000);
        }
        o.baselineStreams = Math.max(o.topics, Math.min(o.baselineStreams, o.streams));
        return o;
    }

    static boolean onOff(String v) {
        return v.equals("on") || v.equals("true") || v.equals("1") || v.equals("yes");
    }

    static boolean isLoopback(String h) {
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    long totalEvents() {
        return Math.max(1, Math.round(rate * duration));
    }

    static void usage() {
        System.out.println("""
            java -jar bench/target/loadgen.jar --port P [options]   (bench/run.sh starts the server and passes these)
              --streams N (1000) --topics C (10) --rate R publishes/s (50) --duration D s of publishing (10)
              --idle s (10) idle window with all streams open   --quiet s (3) background window before opening
              --warmup s (5) publishing at the same rate before the idle window, not measured (JIT warm-up)
              --hub-poll-ms (1000) the hub's poll interval (sets the drain)   --drain-ms (poll+3000)
              --drain-max-ms (60000) drain longer while deliveries still arrive (within 2 s), at most this
              --redis host:port (127.0.0.1:6379)   --prefix bench:<id>: key prefix for the baseline's keys
              --server-pid PID (CPU/RSS from /proc)   --clk-tck (100)
              --pub-conns (4) keep-alive publish connections   --sse-threads (2) selector threads
              --open-inflight (256) streams being opened at once   --open-timeout s (120; also stops
                waiting when for 30 s no stream was answered or went live)
              --hub on|off   --baseline on|off   --baseline-streams N|auto   --baseline-conns (4)
              --baseline-poll-ms (1000)   --retention (100) LTRIM size of the baseline lists
              --script-commands get,set,... commands the hub runs only inside Lua (not counted as sent)
              --scenario fanout|multiplex   --pages (1000) --trips (100): multiplex's pages, six topics each
              --peer none|nchan   --peer-port P --peer-pid PID: the same phase against Nchan
              --label text   --md-out file
            """);
    }
}
