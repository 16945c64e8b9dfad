import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for event-hub: JDK only, run as {@code java bench/LoadGenerator.java --help}.
 *
 * <p>Phase 1 (hub): opens N SSE streams over C topics with NIO selector threads, waits until every
 * stream is live, measures an idle window, then publishes at a fixed rate over keep-alive HTTP/1.1
 * connections and measures publish-to-receive latency, deliveries/s, loss and duplicates, plus Redis
 * commands ({@code INFO all} deltas) and the server's CPU and RSS (/proc).
 *
 * <p>Phase 2 (baseline): the design note's approach, simulated against the same Redis: every stream
 * polls {@code LRANGE messages:<topic> 0 -1} once per second (pipelined over a few connections) and
 * the publisher runs {@code LPUSH + LTRIM + EXPIRE}. Same topics, rate and duration.
 *
 * <p>Everything is bounded in time and goes to loopback addresses only.
 */
public class LoadGenerator {

    // ------------------------------------------------------------------ options

    static final class Opts {
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
        String type = "trip";
        String channel = "comments";

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
                    case "--type" -> o.type = v;
                    case "--channel" -> o.channel = v;
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

        String topicName(int t) {
            return type + "/b" + t + "/" + channel;
        }

        long totalEvents() {
            return Math.max(1, Math.round(rate * duration));
        }
    }

    static void usage() {
        System.out.println("""
                java bench/LoadGenerator.java --port P [options]   (bench/run.sh starts the server and passes these)
                  --streams N (1000) --topics C (10) --rate R publishes/s (50) --duration D s of publishing (10)
                  --idle s (10) idle window with all streams open   --quiet s (3) background window before opening
                  --warmup s (5) publishing at the same rate before the idle window, not measured (JIT warm-up)
                  --hub-poll-ms (1000) the hub's poll interval (sets the drain)   --drain-ms (poll+3000)
                  --redis host:port (127.0.0.1:6379)   --prefix bench:<id>: key prefix for the baseline's keys
                  --server-pid PID (CPU/RSS from /proc)   --clk-tck (100)
                  --pub-conns (4) keep-alive publish connections   --sse-threads (2) selector threads
                  --open-inflight (256) streams being opened at once   --open-timeout s (120; also stops
                    waiting when no stream went live for 15 s)
                  --hub on|off   --baseline on|off   --baseline-streams N|auto   --baseline-conns (4)
                  --baseline-poll-ms (1000)   --retention (100) LTRIM size of the baseline lists
                  --script-commands get,set,... commands the hub runs only inside Lua (not counted as sent)
                  --label text   --md-out file   --type trip --channel comments
                """);
    }

    // ------------------------------------------------------------------ shared helpers

    static final byte[] BSEQ = "\"bseq\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BNS = "\"bns\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RESYNC = "\"resync\"".getBytes(StandardCharsets.US_ASCII);
    static final long NOT_FOUND = Long.MIN_VALUE;

    static int indexOf(byte[] b, int len, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= len; i++) {
            for (int j = 0; j < key.length; j++) {
                if (b[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The integer after {@code key} in {@code b[0..len)}, or {@link #NOT_FOUND}. */
    static long findLong(byte[] b, int len, byte[] key) {
        int i = indexOf(b, len, key);
        if (i < 0) {
            return NOT_FOUND;
        }
        i += key.length;
        while (i < len && b[i] == ' ') {
            i++;
        }
        boolean neg = false;
        if (i < len && b[i] == '-') {
            neg = true;
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < len && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
            digits++;
        }
        return digits == 0 ? NOT_FOUND : (neg ? -v : v);
    }

    /** The event body: the app's shape plus the bench's sequence and send time (fields pass through). */
    static String body(int topic, long bseq, long sentNs) {
        return "{\"action\":\"new_comment\",\"comment\":{\"id\":\"b" + topic + "-" + bseq + "\",\"text\":\"load test comment\",\"sentAt\":"
                + sentNs + "},\"bseq\":" + bseq + ",\"bns\":" + sentNs + "}";
    }

    static void parkUntil(long deadlineNs) {
        long d;
        while ((d = deadlineNs - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(d, 50_000_000L));
        }
    }

    static void sleepMs(long ms) {
        parkUntil(System.nanoTime() + ms * 1_000_000L);
    }

    static void log(String fmt, Object... args) {
        System.err.printf("[loadgen %s] %s%n", Instant.now().toString().substring(11, 23), String.format(Locale.ROOT, fmt, args));
    }

    /** A growable int array (latencies in microseconds). */
    static final class IntList {
        int[] a = new int[1 << 16];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void addAll(IntList o) {
            for (int i = 0; i < o.n; i++) {
                add(o.a[i]);
            }
        }
    }

    /** What one receiving thread saw. Merged after the threads stop. */
    static final class Rec {
        final IntList latUs = new IntList();
        long distinct;
        long dups;
        long resyncs;
        long other;
        long epochChanges;
        long lastNs;
        final long[] perSecond = new long[4096];

        void delivered(long now, long sentNs, long base) {
            long us = (now - sentNs) / 1000;
            latUs.add((int) Math.max(0, Math.min(Integer.MAX_VALUE, us)));
            distinct++;
            lastNs = now;
            if (base != 0) {
                long s = (now - base) / 1_000_000_000L;
                if (s >= 0 && s < perSecond.length) {
                    perSecond[(int) s]++;
                }
            }
        }

        void merge(Rec o) {
            latUs.addAll(o.latUs);
            distinct += o.distinct;
            dups += o.dups;
            resyncs += o.resyncs;
            other += o.other;
            epochChanges += o.epochChanges;
            lastNs = Math.max(lastNs, o.lastNs);
            for (int i = 0; i < perSecond.length; i++) {
                perSecond[i] += o.perSecond[i];
            }
        }
    }

    // ------------------------------------------------------------------ /proc and Redis INFO

    record ProcSnap(long t, long ticks, long rssKb, long hwmKb) {
        static ProcSnap of(long pid) {
            long t = System.nanoTime();
            if (pid <= 0) {
                return new ProcSnap(t, -1, -1, -1);
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after "pid (comm) ": f[0] is state (field 3); utime is field 14, stime field 15
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                long rss = -1;
                long hwm = -1;
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
                return new ProcSnap(t, ticks, rss, hwm);
            } catch (IOException | RuntimeException e) {
                return new ProcSnap(t, -1, -1, -1);
            }
        }

        static ProcSnap self() {
            return of(ProcessHandle.current().pid());
        }

        /** CPU % of one core over the interval (200% = both cores of a 2-core machine). */
        double cpuPercent(ProcSnap later, int clkTck) {
            if (ticks < 0 || later.ticks < 0) {
                return Double.NaN;
            }
            double secs = (later.t - t) / 1e9;
            return 100.0 * (later.ticks - ticks) / clkTck / secs;
        }
    }

    /** The whole machine's CPU from /proc/stat, to see how much else ran during a window. */
    record SysSnap(long busy, long total) {
        static SysSnap now() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                return new SysSnap(total - idle, total);
            } catch (IOException | RuntimeException e) {
                return new SysSnap(-1, -1);
            }
        }

        /** Busy % of one core over the interval (200% = both cores busy on a 2-core machine). */
        double busyPercent(SysSnap later) {
            if (busy < 0 || later.total == total) {
                return Double.NaN;
            }
            return 100.0 * Runtime.getRuntime().availableProcessors() * (later.busy - busy) / (later.total - total);
        }
    }

    /** CPU ticks of every process, to name what else used the machine during a window. */
    record AllProcs(long t, Map<Long, Long> ticks, Map<Long, String> names) {
        static AllProcs now() {
            Map<Long, Long> ticks = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    String n = d.getFileName().toString();
                    if (!n.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(d.resolve("stat"));
                        int open = stat.indexOf('(');
                        int close = stat.lastIndexOf(')');
                        String[] f = stat.substring(close + 2).split(" ");
                        long pid = Long.parseLong(n);
                        ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                        names.put(pid, stat.substring(open + 1, close));
                    } catch (IOException | RuntimeException e) {
                        // the process ended meanwhile
                    }
                }
            } catch (IOException e) {
                // no /proc: nothing to name
            }
            return new AllProcs(System.nanoTime(), ticks, names);
        }

        /** The busiest processes between this and {@code later}, excluding {@code skip}, as "name(pid) N%". */
        String top(AllProcs later, Set<Long> skip, int clkTck, int n) {
            double secs = (later.t - t) / 1e9;
            List<Map.Entry<Long, Long>> used = new ArrayList<>();
            for (Map.Entry<Long, Long> e : later.ticks.entrySet()) {
                if (skip.contains(e.getKey())) {
                    continue;
                }
                long d = e.getValue() - ticks.getOrDefault(e.getKey(), 0L);
                if (d > 0) {
                    used.add(Map.entry(e.getKey(), d));
                }
            }
            used.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(n, used.size()); i++) {
                double pct = 100.0 * used.get(i).getValue() / clkTck / secs;
                if (pct < 2) {
                    break;
                }
                sb.append(sb.length() == 0 ? "" : ", ").append(later.names.get(used.get(i).getKey())).append('(')
                        .append(used.get(i).getKey()).append(") ").append(String.format(Locale.ROOT, "%.0f%%", pct));
            }
            return sb.length() == 0 ? "none over 2%" : sb.toString();
        }
    }

    record RedisSnap(long t, long total, double cpuSec, Map<String, Long> calls) {
    }

    /**
     * Commands between two {@code INFO all} snapshots, net of the first snapshot's own INFO.
     * {@code total}: every command Redis ran (all clients, including commands run by Lua scripts).
     * {@code sent}: commands of the types the measured side sends itself ({@code own}, less those it
     * only runs inside scripts), so other clients' traffic of other types does not count.
     * {@code executed}: {@code sent} plus the commands its scripts run ({@code inner}).
     */
    record RedisDelta(double secs, long total, long executed, long sent, Map<String, Long> byCmd, double cpuSec) {
        static RedisDelta of(RedisSnap a, RedisSnap b, Set<String> own, Set<String> scriptOnly) {
            Map<String, Long> by = new HashMap<>();
            for (Map.Entry<String, Long> e : b.calls().entrySet()) {
                long d = e.getValue() - a.calls().getOrDefault(e.getKey(), 0L);
                if (e.getKey().equals("info")) {
                    d -= 1;
                }
                if (d != 0) {
                    by.put(e.getKey(), d);
                }
            }
            long total = b.total() - a.total() - 1;
            long inner = 0;
            for (String c : scriptOnly) {
                inner += by.getOrDefault(c, 0L);
            }
            long sent;
            long executed;
            if (own == null) {
                sent = total - inner;
                executed = total;
            } else {
                sent = 0;
                for (String c : own) {
                    if (!scriptOnly.contains(c)) {
                        sent += by.getOrDefault(c, 0L);
                    }
                }
                executed = sent + inner;
            }
            return new RedisDelta((b.t() - a.t()) / 1e9, total, executed, sent, by, b.cpuSec() - a.cpuSec());
        }

        double totalPerSec() {
            return total / secs;
        }

        long calls(String cmd) {
            return byCmd.getOrDefault(cmd, 0L);
        }

        double sentPerSec() {
            return sent / secs;
        }

        double executedPerSec() {
            return executed / secs;
        }

        double cpuPercent() {
            return 100.0 * cpuSec / secs;
        }

        String top(int n) {
            return byCmd.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(n)
                    .map(e -> e.getKey() + "=" + e.getValue()).reduce((x, y) -> x + " " + y).orElse("-");
        }
    }

    // ------------------------------------------------------------------ a minimal RESP client

    /** A buffered reader of RESP replies with no allocation on the hot path. */
    static final class RespIn {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int lim;

        RespIn(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            if (pos == lim) {
                lim = in.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    throw new EOFException("connection closed by the peer");
                }
            }
            return buf[pos++] & 0xff;
        }

        /** Reads a decimal number up to CRLF. */
        long number() throws IOException {
            long v = 0;
            boolean neg = false;
            int c;
            while ((c = read()) != '\r') {
                if (c == '-') {
                    neg = true;
                } else {
                    v = v * 10 + (c - '0');
                }
            }
            read(); // \n
            return neg ? -v : v;
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = read()) != '\r') {
                sb.append((char) c);
            }
            read();
            return sb.toString();
        }

        void readFully(byte[] dst, int n) throws IOException {
            int off = 0;
            while (off < n) {
                if (pos == lim) {
                    read();
                    pos--;
                }
                int k = Math.min(n - off, lim - pos);
                System.arraycopy(buf, pos, dst, off, k);
                pos += k;
                off += k;
            }
        }

        void skip(long n) throws IOException {
            while (n > 0) {
                if (pos == lim) {
                    read();
                    pos--;
                }
                int k = (int) Math.min(n, lim - pos);
                pos += k;
                n -= k;
            }
        }

        /** Any reply as Java objects: String, Long, byte[], List, RuntimeException for errors. */
        Object reply() throws IOException {
            int type = read();
            switch (type) {
                case '+':
                    return line();
                case '-':
                    return new RuntimeException(line());
                case ':':
                    return number();
                case '$': {
                    long n = number();
                    if (n < 0) {
                        return null;
                    }
                    byte[] b = new byte[(int) n];
                    readFully(b, (int) n);
                    skip(2);
                    return b;
                }
                case '*': {
                    long n = number();
                    if (n < 0) {
                        return null;
                    }
                    List<Object> list = new ArrayList<>((int) n);
                    for (int i = 0; i < n; i++) {
                        list.add(reply());
                    }
                    return list;
                }
                default:
                    throw new IOException("unexpected RESP type " + (char) type);
            }
        }
    }

    static void writeCommand(OutputStream out, String... args) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(args.length).append("\r\n");
        byte[][] parts = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            parts[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
            out.write(('$' + Integer.toString(p.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(p);
            out.write('\r');
            out.write('\n');
        }
    }

    static final class Resp implements Closeable {
        final Socket socket;
        final OutputStream out;
        final RespIn in;

        Resp(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = new RespIn(socket.getInputStream());
        }

        Object call(String... args) throws IOException {
            writeCommand(out, args);
            out.flush();
            Object r = in.reply();
            if (r instanceof RuntimeException e) {
                throw new IOException("redis: " + e.getMessage());
            }
            return r;
        }

        RedisSnap snap() throws IOException {
            long t = System.nanoTime();
            String info = new String((byte[]) call("INFO", "all"), StandardCharsets.UTF_8);
            long total = 0;
            double cpu = 0;
            Map<String, Long> calls = new HashMap<>();
            for (String line : info.split("\r\n")) {
                if (line.startsWith("total_commands_processed:")) {
                    total = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                } else if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                    cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                } else if (line.startsWith("cmdstat_")) {
                    String name = line.substring(8, line.indexOf(':'));
                    int c = line.indexOf("calls=") + 6;
                    int e = line.indexOf(',', c);
                    calls.put(name, Long.parseLong(line.substring(c, e)));
                }
            }
            return new RedisSnap(t, total, cpu, calls);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Redis snapshots that never fail the run: without Redis the Redis figures are just absent. */
    static final class RedisProbe {
        final Resp resp;

        RedisProbe(Opts o) {
            Resp r = null;
            try {
                r = new Resp(o.redisHost, o.redisPort);
                r.call("PING");
            } catch (IOException e) {
                log("Redis at %s:%d not reachable (%s): no Redis figures", o.redisHost, o.redisPort, e.getMessage());
                r = null;
            }
            resp = r;
        }

        RedisSnap snap() {
            if (resp == null) {
                return null;
            }
            try {
                return resp.snap();
            } catch (IOException e) {
                log("INFO failed: %s", e.getMessage());
                return null;
            }
        }

        static RedisDelta delta(RedisSnap a, RedisSnap b, Set<String> own, Set<String> scriptOnly) {
            return a == null || b == null ? null : RedisDelta.of(a, b, own, scriptOnly);
        }
    }

    // ------------------------------------------------------------------ SSE streams over NIO

    static final int H_HEADERS = 0;
    static final int H_BODY = 1;
    static final int C_SIZE = 0;
    static final int C_DATA = 1;
    static final int C_DATA_END = 2;
    static final int C_DONE = 3;

    /** One SSE stream: HTTP response head, chunked decoding and SSE line parsing, byte by byte. */
    static final class SseConn {
        final int index;
        final int topic;
        final SseHub hub;
        SocketChannel ch;
        ByteBuffer pendingWrite;
        int attempts;
        int httpState = H_HEADERS;
        final StringBuilder head = new StringBuilder();
        boolean chunked;
        int chunkState = C_SIZE;
        long chunkSize;
        boolean sizeDone;
        long chunkRemain;
        byte[] line = new byte[512];
        int lineLen;
        byte[] data = new byte[512];
        int dataLen;
        int dataLines;
        String id;
        boolean live;
        boolean closed;
        boolean inOpening;
        String epoch;
        final BitSet idSeqs = new BitSet();
        final BitSet bseqs = new BitSet();

        SseConn(int index, int topic, SseHub hub) {
            this.index = index;
            this.topic = topic;
            this.hub = hub;
        }

        /** Consumes {@code n} bytes; returns false when the stream turned out unusable. */
        boolean feed(byte[] b, int off, int n, Rec rec) {
            int end = off + n;
            int i = off;
            if (httpState == H_HEADERS) {
                while (i < end) {
                    char c = (char) (b[i++] & 0xff);
                    head.append(c);
                    int len = head.length();
                    if (len >= 4 && c == '\n' && head.charAt(len - 2) == '\r' && head.charAt(len - 3) == '\n') {
                        String h = head.toString();
                        if (!h.startsWith("HTTP/1.1 200")) {
                            hub.badStatus.incrementAndGet();
                            if (hub.firstBadStatus == null) {
                                hub.firstBadStatus = h.split("\r\n")[0];
                            }
                            return false;
                        }
                        chunked = h.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
                        httpState = H_BODY;
                        hub.doneOpening(this);
                        break;
                    }
                    if (len > 8192) {
                        return false;
                    }
                }
            }
            if (!chunked) {
                sse(b, i, end - i, rec);
                return true;
            }
            while (i < end) {
                switch (chunkState) {
                    case C_SIZE -> {
                        byte c = b[i++];
                        if (c == '\n') {
                            if (chunkSize == 0) {
                                chunkState = C_DONE;
                            } else {
                                chunkRemain = chunkSize;
                                chunkState = C_DATA;
                            }
                        } else if (!sizeDone) {
                            int v = Character.digit(c, 16);
                            if (v >= 0) {
                                chunkSize = chunkSize * 16 + v;
                            } else {
                                sizeDone = true;
                            }
                        }
                    }
                    case C_DATA -> {
                        int k = (int) Math.min(chunkRemain, end - i);
                        sse(b, i, k, rec);
                        i += k;
                        chunkRemain -= k;
                        if (chunkRemain == 0) {
                            chunkState = C_DATA_END;
                        }
                    }
                    case C_DATA_END -> {
                        if (b[i++] == '\n') {
                            chunkState = C_SIZE;
                            chunkSize = 0;
                            sizeDone = false;
                        }
                    }
                    default -> {
                        return false; // the last chunk: the server ended the stream
                    }
                }
            }
            return true;
        }

        private void sse(byte[] b, int off, int n, Rec rec) {
            for (int i = off; i < off + n; i++) {
                byte c = b[i];
                if (c == '\n') {
                    line(rec);
                    lineLen = 0;
                } else {
                    if (lineLen == line.length) {
                        line = Arrays.copyOf(line, line.length * 2);
                    }
                    line[lineLen++] = c;
                }
            }
        }

        private void line(Rec rec) {
            int len = lineLen;
            if (len > 0 && line[len - 1] == '\r') {
                len--;
            }
            if (len == 0) {
                dispatch(rec);
                return;
            }
            if (startsWith(line, len, "data:")) {
                int s = 5;
                if (s < len && line[s] == ' ') {
                    s++;
                }
                if (dataLines > 0) {
                    append((byte) '\n');
                }
                for (int k = s; k < len; k++) {
                    append(line[k]);
                }
                dataLines++;
            } else if (startsWith(line, len, "id:")) {
                int s = 3;
                if (s < len && line[s] == ' ') {
                    s++;
                }
                id = new String(line, s, len - s, StandardCharsets.US_ASCII);
            }
            // ":" comments (heartbeats, the opening frames) and "retry:" need nothing
        }

        private void append(byte c) {
            if (dataLen == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[dataLen++] = c;
        }

        private static boolean startsWith(byte[] b, int len, String p) {
            if (len < p.length()) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (b[i] != p.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private void dispatch(Rec rec) {
            if (dataLines > 0) {
                if (dataLines > 1) {
                    hub.multiDataLines.incrementAndGet();
                }
                event(rec);
            }
            if (id != null && !live) {
                live = true;
                hub.live.incrementAndGet();
            }
            id = null;
            dataLen = 0;
            dataLines = 0;
        }

        private void event(Rec rec) {
            long now = System.nanoTime();
            long bseq = findLong(data, dataLen, BSEQ);
            if (bseq == NOT_FOUND) {
                if (indexOf(data, dataLen, RESYNC) >= 0) {
                    rec.resyncs++;
                } else {
                    rec.other++;
                }
                return;
            }
            long sent = findLong(data, dataLen, BNS);
            if (id != null) {
                int dash = id.lastIndexOf('-');
                String ep = dash > 0 ? id.substring(0, dash) : id;
                int seq = dash > 0 ? Integer.parseInt(id.substring(dash + 1)) : -1;
                if (epoch == null) {
                    epoch = ep;
                } else if (!epoch.equals(ep)) {
                    rec.epochChanges++;
                    epoch = ep;
                    idSeqs.clear();
                }
                if (seq >= 0) {
                    if (idSeqs.get(seq)) {
                        rec.dups++;
                        return;
                    }
                    idSeqs.set(seq);
                }
            }
            if (bseqs.get((int) bseq)) {
                rec.dups++;
                return;
            }
            bseqs.set((int) bseq);
            long base = hub.base;
            if (base != 0 && sent - base >= 0) {
                rec.delivered(now, sent, base);
                hub.distinct.increment();
            } else {
                hub.warmSeen.increment(); // a warm-up event: checked for duplicates, not measured
            }
        }
    }

    /** N streams over C topics, served by a few selector threads. */
    static final class SseHub {
        final Opts o;
        final InetSocketAddress addr;
        final SseConn[] conns;
        final int[] streamsOnTopic;
        final AtomicInteger nextToOpen = new AtomicInteger();
        final ConcurrentLinkedQueue<SseConn> retry = new ConcurrentLinkedQueue<>();
        final AtomicInteger opening = new AtomicInteger();
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger openFailures = new AtomicInteger();
        final AtomicInteger badStatus = new AtomicInteger();
        final AtomicInteger closedAfterLive = new AtomicInteger();
        final AtomicInteger multiDataLines = new AtomicInteger();
        final LongAdder distinct = new LongAdder();
        final LongAdder warmSeen = new LongAdder();
        volatile String firstBadStatus;
        volatile String firstError;
        volatile long base;
        volatile boolean stop;
        final List<Thread> threads = new ArrayList<>();
        final List<Rec> recs = new ArrayList<>();

        SseHub(Opts o) {
            this.o = o;
            this.addr = new InetSocketAddress(o.host, o.port);
            this.conns = new SseConn[o.streams];
            this.streamsOnTopic = new int[o.topics];
            for (int j = 0; j < o.streams; j++) {
                conns[j] = new SseConn(j, j % o.topics, this);
                streamsOnTopic[j % o.topics]++;
            }
        }

        byte[] requestFor(SseConn c) {
            return ("GET /api/subscribe/" + o.topicName(c.topic) + " HTTP/1.1\r\nHost: " + o.host + ":" + o.port
                    + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        void start() {
            for (int t = 0; t < o.sseThreads; t++) {
                Rec rec = new Rec();
                recs.add(rec);
                Thread th = new Thread(() -> loop(rec), "sse-" + t);
                th.setDaemon(true);
                threads.add(th);
                th.start();
            }
        }

        private SseConn claim() {
            SseConn r = retry.poll();
            if (r != null) {
                return r;
            }
            int j = nextToOpen.getAndIncrement();
            return j < conns.length ? conns[j] : null;
        }

        private void loop(Rec rec) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            byte[] arr = buf.array();
            List<SseConn> mine = new ArrayList<>();
            try (Selector sel = Selector.open()) {
                while (!stop) {
                    int budget = o.openInflight / o.sseThreads;
                    while (opening.get() < o.openInflight && budget-- > 0) {
                        SseConn c = claim();
                        if (c == null) {
                            break;
                        }
                        opening.incrementAndGet();
                        c.inOpening = true;
                        open(c, sel);
                        mine.add(c);
                    }
                    sel.select(20);
                    for (SelectionKey key : sel.selectedKeys()) {
                        SseConn c = (SseConn) key.attachment();
                        try {
                            if (key.isConnectable()) {
                                c.ch.finishConnect();
                                key.interestOps(SelectionKey.OP_WRITE);
                            } else if (key.isWritable()) {
                                c.ch.write(c.pendingWrite);
                                if (!c.pendingWrite.hasRemaining()) {
                                    c.pendingWrite = null;
                                    key.interestOps(SelectionKey.OP_READ);
                                }
                            } else if (key.isReadable()) {
                                buf.clear();
                                int n = c.ch.read(buf);
                                if (n < 0) {
                                    fail(c, key, null);
                                } else if (n > 0 && !c.feed(arr, 0, n, rec)) {
                                    fail(c, key, null);
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            fail(c, key, e);
                        }
                    }
                    sel.selectedKeys().clear();
                }
                for (SseConn c : mine) {
                    try {
                        c.ch.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            } catch (IOException e) {
                firstError = "selector: " + e;
            }
        }

        private void open(SseConn c, Selector sel) {
            try {
                c.attempts++;
                c.ch = SocketChannel.open();
                c.ch.configureBlocking(false);
                c.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.pendingWrite = ByteBuffer.wrap(requestFor(c));
                if (c.ch.connect(addr)) {
                    c.ch.register(sel, SelectionKey.OP_WRITE, c);
                } else {
                    c.ch.register(sel, SelectionKey.OP_CONNECT, c);
                }
            } catch (IOException e) {
                failOpen(c, e);
            }
        }

        private void fail(SseConn c, SelectionKey key, Exception e) {
            key.cancel();
            try {
                c.ch.close();
            } catch (IOException ignored) {
                // gone
            }
            if (c.live) {
                if (!stop) {
                    closedAfterLive.incrementAndGet();
                    if (firstError == null) {
                        firstError = "stream " + c.index + " on " + o.topicName(c.topic) + " ended: "
                                + (e == null ? "closed by the server" : e.toString());
                    }
                }
                c.closed = true;
            } else {
                failOpen(c, e);
            }
        }

        /** The connection is answered: it no longer counts against the opening limit. */
        void doneOpening(SseConn c) {
            if (c.inOpening) {
                c.inOpening = false;
                opening.decrementAndGet();
            }
        }

        private void failOpen(SseConn c, Exception e) {
            doneOpening(c);
            openFailures.incrementAndGet();
            if (firstError == null && e != null) {
                firstError = "open: " + e;
            }
            if (c.attempts < 3 && !stop) {
                c.httpState = H_HEADERS;
                c.head.setLength(0);
                c.chunkState = C_SIZE;
                c.chunkSize = 0;
                c.sizeDone = false;
                c.lineLen = 0;
                c.dataLen = 0;
                c.dataLines = 0;
                retry.add(c);
            } else {
                c.closed = true;
            }
        }

        boolean allSettled() {
            int unsettled = 0;
            for (SseConn c : conns) {
                if (!c.live && !c.closed) {
                    unsettled++;
                }
            }
            return unsettled == 0;
        }

        Rec stopAndMerge() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(10_000);
            }
            Rec all = new Rec();
            recs.forEach(all::merge);
            return all;
        }

    }

    // ------------------------------------------------------------------ publishing over HTTP

    static final class HttpPublisher {
        final Opts o;
        final AtomicIntegerArray ok;
        final AtomicLong failed = new AtomicLong();
        final AtomicLong maxLateNs = new AtomicLong();
        final AtomicLong sumRttNs = new AtomicLong();
        final AtomicLong maxRttNs = new AtomicLong();
        volatile String firstError;
        long firstSendNs;
        long lastSendNs;

        HttpPublisher(Opts o) {
            this.o = o;
            this.ok = new AtomicIntegerArray(o.topics);
        }

        /**
         * Publishes events {@code from .. from+count-1} (event i goes to topic i % C with sequence i / C + 1)
         * paced at the rate from {@code t0}; returns when all are answered.
         */
        void run(long t0, long from, long count) throws InterruptedException {
            long total = count;
            double interval = 1e9 / o.rate;
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < o.pubConns; k++) {
                int first = k;
                Thread th = new Thread(() -> work(first, total, t0, interval, from), "pub-" + k);
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            firstSendNs = t0;
            lastSendNs = t0 + (long) ((total - 1) * interval);
        }

        private void work(int first, long total, long t0, double interval, long from) {
            Socket s = null;
            OutputStream out = null;
            RespLikeHttpIn in = null;
            for (long i = first; i < total; i += o.pubConns) {
                long due = t0 + (long) (i * interval);
                parkUntil(due);
                int topic = (int) ((from + i) % o.topics);
                long bseq = (from + i) / o.topics + 1;
                try {
                    if (s == null) {
                        s = new Socket();
                        s.setTcpNoDelay(true);
                        s.connect(new InetSocketAddress(o.host, o.port), 5000);
                        out = new BufferedOutputStream(s.getOutputStream(), 8192);
                        in = new RespLikeHttpIn(s.getInputStream());
                    }
                    long sent = System.nanoTime();
                    maxLateNs.accumulateAndGet(sent - due, Math::max);
                    byte[] bodyBytes = body(topic, bseq, sent).getBytes(StandardCharsets.UTF_8);
                    String headers = "POST /api/publish/" + o.topicName(topic) + " HTTP/1.1\r\nHost: " + o.host + ":"
                            + o.port + "\r\nAuthorization: Bearer " + o.publishKey
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + bodyBytes.length + "\r\n\r\n";
                    out.write(headers.getBytes(StandardCharsets.US_ASCII));
                    out.write(bodyBytes);
                    out.flush();
                    int status = in.response();
                    long rtt = System.nanoTime() - sent;
                    sumRttNs.addAndGet(rtt);
                    maxRttNs.accumulateAndGet(rtt, Math::max);
                    if (status == 201) {
                        ok.incrementAndGet(topic);
                    } else {
                        failed.incrementAndGet();
                        if (firstError == null) {
                            firstError = "publish answered " + status;
                        }
                    }
                    if (in.closeAfter) {
                        s.close();
                        s = null;
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    if (firstError == null) {
                        firstError = "publish: " + e;
                    }
                    try {
                        if (s != null) {
                            s.close();
                        }
                    } catch (IOException ignored) {
                        // reconnect next time
                    }
                    s = null;
                }
            }
            try {
                if (s != null) {
                    s.close();
                }
            } catch (IOException ignored) {
                // done
            }
        }

        long okTotal() {
            long sum = 0;
            for (int t = 0; t < ok.length(); t++) {
                sum += ok.get(t);
            }
            return sum;
        }
    }

    /** Reads one HTTP/1.1 response (status, headers, Content-Length or chunked body) off a keep-alive connection. */
    static final class RespLikeHttpIn {
        final RespIn in;
        boolean closeAfter;

        RespLikeHttpIn(InputStream s) {
            in = new RespIn(s);
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        int response() throws IOException {
            String status = line();
            int code = Integer.parseInt(status.split(" ")[1]);
            long length = 0;
            boolean chunked = false;
            closeAfter = false;
            String h;
            while (!(h = line()).isEmpty()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closeAfter = true;
                }
            }
            if (chunked) {
                long n;
                while ((n = Long.parseLong(line().split(";")[0].trim(), 16)) > 0) {
                    in.skip(n);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else {
                in.skip(length);
            }
            return code;
        }
    }

    // ------------------------------------------------------------------ the baseline: every stream polls Redis

    static final class Baseline {
        record Poll(int poller, long dueNs) {
        }

        final Opts o;
        final int n;
        final int[] topicOf;
        final long[] phaseNs;
        final long[] maxSeen;
        final int[] pollersOnTopic;
        final long periodNs;
        final byte[][] lrange;
        final AtomicIntegerArray ok;
        final AtomicLong pubFailed = new AtomicLong();
        final AtomicLong polls = new AtomicLong();
        final AtomicLong pollsLate = new AtomicLong();
        final AtomicLong maxPollLagNs = new AtomicLong();
        final AtomicLong maxWriterLateNs = new AtomicLong();
        final LongAdder distinct = new LongAdder();
        final List<Rec> recs = new ArrayList<>();
        volatile long base;
        volatile boolean stopPolling;
        volatile String firstError;
        final List<Thread> threads = new ArrayList<>();
        final List<Resp> conns = new ArrayList<>();

        Baseline(Opts o, int n) {
            this.o = o;
            this.n = n;
            topicOf = new int[n];
            phaseNs = new long[n];
            maxSeen = new long[n];
            pollersOnTopic = new int[o.topics];
            periodNs = o.baselinePollMs * 1_000_000L;
            Random rnd = new Random(42);
            for (int j = 0; j < n; j++) {
                topicOf[j] = j % o.topics;
                pollersOnTopic[j % o.topics]++;
                phaseNs[j] = (long) (rnd.nextDouble() * periodNs);
            }
            lrange = new byte[o.topics][];
            for (int t = 0; t < o.topics; t++) {
                String key = key(t);
                int kl = key.getBytes(StandardCharsets.UTF_8).length;
                lrange[t] = ("*4\r\n$6\r\nLRANGE\r\n$" + kl + "\r\n" + key + "\r\n$1\r\n0\r\n$2\r\n-1\r\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            ok = new AtomicIntegerArray(o.topics);
        }

        String key(int t) {
            return o.prefix + "messages:" + o.topicName(t);
        }

        void startPolling(long start) throws IOException {
            int k = Math.max(1, Math.min(o.baselineConns, n));
            for (int c = 0; c < k; c++) {
                Resp conn = new Resp(o.redisHost, o.redisPort);
                conns.add(conn);
                List<Integer> mine = new ArrayList<>();
                for (int j = c; j < n; j += k) {
                    mine.add(j);
                }
                mine.sort((a, b) -> Long.compare(phaseNs[a], phaseNs[b]));
                int[] order = mine.stream().mapToInt(Integer::intValue).toArray();
                ArrayBlockingQueue<Poll> q = new ArrayBlockingQueue<>(Math.max(1024, order.length * 4));
                Rec rec = new Rec();
                recs.add(rec);
                AtomicInteger writerDone = new AtomicInteger();
                Thread w = new Thread(() -> pollWriter(conn, order, q, start, writerDone), "poll-w-" + c);
                Thread r = new Thread(() -> pollReader(conn, q, rec, writerDone), "poll-r-" + c);
                threads.add(w);
                threads.add(r);
                w.start();
                r.start();
            }
        }

        private void pollWriter(Resp conn, int[] order, ArrayBlockingQueue<Poll> q, long start, AtomicInteger done) {
            try {
                for (long round = 0; !stopPolling; round++) {
                    for (int p : order) {
                        if (stopPolling) {
                            break;
                        }
                        long due = start + round * periodNs + phaseNs[p];
                        long now = System.nanoTime();
                        if (due > now) {
                            conn.out.flush();
                            parkUntil(due);
                        } else {
                            maxWriterLateNs.accumulateAndGet(now - due, Math::max);
                        }
                        q.put(new Poll(p, due));
                        conn.out.write(lrange[topicOf[p]]);
                    }
                }
                conn.out.flush();
            } catch (IOException | InterruptedException e) {
                if (firstError == null) {
                    firstError = "poll writer: " + e;
                }
            } finally {
                done.set(1);
            }
        }

        private void pollReader(Resp conn, ArrayBlockingQueue<Poll> q, Rec rec, AtomicInteger writerDone) {
            byte[] buf = new byte[4096];
            RespIn in = conn.in;
            try {
                while (true) {
                    Poll poll = q.poll(50, TimeUnit.MILLISECONDS);
                    if (poll == null) {
                        if (writerDone.get() == 1 && q.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                    int type = in.read();
                    if (type != '*') {
                        throw new IOException("LRANGE answered type " + (char) type + ": " + in.line());
                    }
                    long count = in.number();
                    long now = System.nanoTime();
                    int p = poll.poller();
                    long seen = maxSeen[p];
                    long newest = seen;
                    boolean older = false;
                    for (long e = 0; e < count; e++) {
                        in.read(); // '$'
                        int len = (int) in.number();
                        if (older) {
                            in.skip(len + 2L);
                            continue;
                        }
                        if (len > buf.length) {
                            buf = new byte[Math.max(len, buf.length * 2)];
                        }
                        in.readFully(buf, len);
                        in.skip(2);
                        long bseq = findLong(buf, len, BSEQ);
                        if (bseq <= seen) {
                            older = true; // newest first: the rest was seen by earlier polls
                            continue;
                        }
                        rec.delivered(now, findLong(buf, len, BNS), base);
                        distinct.increment();
                        newest = Math.max(newest, bseq);
                    }
                    maxSeen[p] = newest;
                    polls.incrementAndGet();
                    long lag = System.nanoTime() - poll.dueNs();
                    maxPollLagNs.accumulateAndGet(lag, Math::max);
                    if (lag > 100_000_000L) {
                        pollsLate.incrementAndGet();
                    }
                }
            } catch (IOException | InterruptedException e) {
                if (firstError == null) {
                    firstError = "poll reader: " + e;
                }
            }
        }

        /** LPUSH + LTRIM + EXPIRE per event, pipelined on one connection, paced like the hub's publisher. */
        void publish(long t0) throws IOException, InterruptedException {
            long total = o.totalEvents();
            double interval = 1e9 / o.rate;
            Resp conn = new Resp(o.redisHost, o.redisPort);
            ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>((int) Math.min(total + 16, 1 << 20));
            String retentionLast = Integer.toString(o.retention - 1);
            Thread reader = new Thread(() -> {
                try {
                    for (long i = 0; i < total; i++) {
                        Integer topic = q.poll(30, TimeUnit.SECONDS);
                        if (topic == null) {
                            return;
                        }
                        boolean good = true;
                        for (int r = 0; r < 3; r++) {
                            if (conn.in.reply() instanceof RuntimeException) {
                                good = false;
                            }
                        }
                        if (good) {
                            ok.incrementAndGet(topic);
                        } else {
                            pubFailed.incrementAndGet();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    if (firstError == null) {
                        firstError = "baseline publish reader: " + e;
                    }
                }
            }, "base-pub-r");
            reader.start();
            try {
                for (long i = 0; i < total; i++) {
                    long due = t0 + (long) (i * interval);
                    parkUntil(due);
                    int topic = (int) (i % o.topics);
                    long bseq = i / o.topics + 1;
                    long sent = System.nanoTime();
                    // the JSON a hub-less design would store: the body plus the fields the app adds
                    String b = body(topic, bseq, sent);
                    String json = b.substring(0, b.length() - 1) + ",\"entityType\":\"" + o.type + "\",\"entityId\":\"b" + topic
                            + "\",\"channel\":\"" + o.channel + "\",\"timestamp\":\"" + Instant.now() + "\"}";
                    String key = key(topic);
                    q.put(topic);
                    writeCommand(conn.out, "LPUSH", key, json);
                    writeCommand(conn.out, "LTRIM", key, "0", retentionLast);
                    writeCommand(conn.out, "EXPIRE", key, "3600");
                    conn.out.flush();
                }
            } finally {
                reader.join(30_000);
                conn.close();
            }
        }

        Rec stopAndMerge() throws InterruptedException {
            stopPolling = true;
            for (Thread t : threads) {
                t.join(15_000);
            }
            for (Resp c : conns) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // done
                }
            }
            Rec all = new Rec();
            recs.forEach(all::merge);
            return all;
        }

        long okTotal() {
            long s = 0;
            for (int t = 0; t < ok.length(); t++) {
                s += ok.get(t);
            }
            return s;
        }

        long expected() {
            long e = 0;
            for (int t = 0; t < ok.length(); t++) {
                e += (long) ok.get(t) * pollersOnTopic[t];
            }
            return e;
        }
    }

    // ------------------------------------------------------------------ results

    /** What one side (hub or baseline) measured. */
    static final class Result {
        String name;
        int streams;
        long published;
        long publishFailed;
        double publishSecs;
        long expected;
        long received;
        long dups;
        long lostOnDeadStreams;
        long resyncs;
        long closed;
        long epochChanges;
        double deliveredPerSec;
        long peakPerSec;
        int[] lat;
        RedisDelta quiet;
        RedisDelta idle;
        RedisDelta load;
        RedisDelta loadAndDrain;
        double serverCpuIdle = Double.NaN;
        double serverCpuLoad = Double.NaN;
        double rssMb = Double.NaN;
        double hwmMb = Double.NaN;
        double genCpuLoad = Double.NaN;
        double machineBusyLoad = Double.NaN;
        String othersLoad = "";
        RedisDelta after;
        double scale = 1;
        String notes = "";

        double pct(double p) {
            if (lat == null || lat.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * lat.length) - 1;
            return lat[Math.max(0, Math.min(lat.length - 1, i))] / 1000.0;
        }

        double max() {
            return lat == null || lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1000.0;
        }

        long loss() {
            return expected - received;
        }
    }

    static Result fill(Result r, Rec rec, long expected, long firstPublishNs) {
        rec.latUs.a = Arrays.copyOf(rec.latUs.a, rec.latUs.n);
        Arrays.sort(rec.latUs.a);
        r.lat = rec.latUs.a;
        r.received = rec.distinct;
        r.dups = rec.dups;
        r.resyncs = rec.resyncs;
        r.epochChanges = rec.epochChanges;
        r.expected = expected;
        double span = (rec.lastNs - firstPublishNs) / 1e9;
        r.deliveredPerSec = rec.distinct > 0 && span > 0 ? rec.distinct / span : 0;
        long peak = 0;
        for (long v : rec.perSecond) {
            peak = Math.max(peak, v);
        }
        r.peakPerSec = peak;
        return r;
    }

    // ------------------------------------------------------------------ phases

    static Result runHub(Opts o, RedisProbe redis) throws Exception {
        Result r = new Result();
        r.name = "hub";
        r.streams = o.streams;
        Set<String> inner = o.scriptCommands;

        log("hub: background window %d s (server up, no streams)", o.quiet);
        RedisSnap q0 = redis.snap();
        sleepMs(o.quiet * 1000L);
        r.quiet = RedisProbe.delta(q0, redis.snap(), null, Set.of());

        SseHub hub = new SseHub(o);
        long openStart = System.nanoTime();
        log("hub: opening %d streams over %d topics (%d at a time, %d selector threads)", o.streams, o.topics,
                o.openInflight, o.sseThreads);
        hub.start();
        long deadline = openStart + o.openTimeout * 1_000_000_000L;
        long nextLog = System.nanoTime() + 2_000_000_000L;
        int lastLive = -1;
        long lastProgress = System.nanoTime();
        while (!hub.allSettled() && System.nanoTime() < deadline) {
            sleepMs(50);
            int nowLive = hub.live.get() + hub.openFailures.get();
            if (nowLive != lastLive) {
                lastLive = nowLive;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > 15_000_000_000L && hub.nextToOpen.get() >= o.streams) {
                log("hub: no stream went live for 15 s; going on with %d live streams", hub.live.get());
                break;
            }
            if (System.nanoTime() > nextLog) {
                log("hub: %d/%d streams live, %d open failures", hub.live.get(), o.streams, hub.openFailures.get());
                nextLog += 2_000_000_000L;
            }
        }
        double openSecs = (System.nanoTime() - openStart) / 1e9;
        int live = hub.live.get();
        log("hub: %d/%d streams live after %.1f s (%d open failures, %d non-200)", live, o.streams, openSecs,
                hub.openFailures.get(), hub.badStatus.get());
        if (hub.firstBadStatus != null) {
            log("hub: first non-200 answer: %s", hub.firstBadStatus);
        }
        r.notes += String.format(Locale.ROOT, "%d/%d streams live after %.1f s of opening. ", live, o.streams, openSecs);
        if (live == 0) {
            hub.stopAndMerge();
            throw new IllegalStateException("no stream could be opened: " + hub.firstError);
        }

        long warmCount = Math.round(o.rate * o.warmup);
        if (warmCount > 0) {
            log("hub: warm-up, %d events at %.0f/s (not measured)", warmCount, o.rate);
            HttpPublisher warm = new HttpPublisher(o);
            warm.run(System.nanoTime() + 20_000_000L, 0, warmCount);
            long warmExpected = 0;
            for (int t = 0; t < o.topics; t++) {
                warmExpected += (long) warm.ok.get(t) * hub.streamsOnTopic[t];
            }
            long until = System.nanoTime() + o.drainMs * 1_000_000L;
            while (hub.warmSeen.sum() < warmExpected && System.nanoTime() < until) {
                sleepMs(20);
            }
            r.notes += String.format(Locale.ROOT, "Warm-up: %d events, %d/%d deliveries. ", warm.okTotal(),
                    hub.warmSeen.sum(), warmExpected);
        }

        log("hub: idle window %d s (all streams open, no publishing)", o.idle);
        ProcSnap pIdle0 = ProcSnap.of(o.serverPid);
        RedisSnap i0 = redis.snap();
        sleepMs(o.idle * 1000L);
        RedisSnap i1 = redis.snap();
        ProcSnap pIdle1 = ProcSnap.of(o.serverPid);
        r.idle = RedisProbe.delta(i0, i1, HUB_CMDS, inner);
        r.serverCpuIdle = pIdle0.cpuPercent(pIdle1, o.clkTck);

        HttpPublisher pub = new HttpPublisher(o);
        long t0 = System.nanoTime() + 50_000_000L;
        hub.base = t0;
        log("hub: publishing %d events at %.0f/s for %d s over %d connections", o.totalEvents(), o.rate, o.duration,
                o.pubConns);
        SysSnap sys0 = SysSnap.now();
        AllProcs all0 = AllProcs.now();
        ProcSnap self0 = ProcSnap.self();
        ProcSnap pLoad0 = ProcSnap.of(o.serverPid);
        RedisSnap l0 = redis.snap();
        pub.run(t0, warmCount, o.totalEvents());
        RedisSnap l1 = redis.snap();
        ProcSnap pLoad1 = ProcSnap.of(o.serverPid);
        ProcSnap self1 = ProcSnap.self();
        SysSnap sys1 = SysSnap.now();
        r.othersLoad = all0.top(AllProcs.now(), Set.of(o.serverPid, ProcessHandle.current().pid()), o.clkTck, 4);
        r.machineBusyLoad = sys0.busyPercent(sys1);
        long expected = 0;
        for (int t = 0; t < o.topics; t++) {
            expected += (long) pub.ok.get(t) * hub.streamsOnTopic[t];
        }
        long drainEnd = System.nanoTime() + o.drainMs * 1_000_000L;
        while (hub.distinct.sum() < expected && System.nanoTime() < drainEnd) {
            sleepMs(20);
        }
        RedisSnap l2 = redis.snap();
        ProcSnap pEnd = ProcSnap.of(o.serverPid);
        r.load = RedisProbe.delta(l0, l1, HUB_CMDS, inner);
        r.loadAndDrain = RedisProbe.delta(l0, l2, HUB_CMDS, inner);
        r.serverCpuLoad = pLoad0.cpuPercent(pLoad1, o.clkTck);
        r.genCpuLoad = self0.cpuPercent(self1, o.clkTck);
        r.rssMb = pEnd.rssKb() < 0 ? Double.NaN : pEnd.rssKb() / 1024.0;
        r.hwmMb = pEnd.hwmKb() < 0 ? Double.NaN : pEnd.hwmKb() / 1024.0;
        if (o.serverPid > 0 && ProcessHandle.of(o.serverPid).map(ProcessHandle::isAlive).orElse(false) == false) {
            r.notes += "THE SERVER PROCESS (pid " + o.serverPid + ") WAS GONE at the end of the load window: "
                    + "something else stopped it; this run's hub figures are void. ";
            log("hub: the server process %d is gone", o.serverPid);
        }
        r.published = pub.okTotal();
        r.publishFailed = pub.failed.get();
        r.publishSecs = (pub.lastSendNs - t0) / 1e9;
        Rec rec = hub.stopAndMerge();
        fill(r, rec, expected, t0);
        r.closed = hub.closedAfterLive.get();
        if (live < o.streams) {
            int answered = 0;
            Set<Integer> stuckTopics = new java.util.TreeSet<>();
            for (SseConn c : hub.conns) {
                if (!c.live && c.httpState == H_BODY) {
                    answered++;
                    stuckTopics.add(c.topic);
                }
            }
            r.notes += (o.streams - live) + " streams never went live (no id: frame; counted as not subscribed, not as "
                    + "loss); " + answered + " of them had 200 and the retry: frame, on " + stuckTopics.size()
                    + " topics. ";
        }
        if (hub.multiDataLines.get() > 0) {
            r.notes += hub.multiDataLines.get() + " events had more than one data: line. ";
        }
        if (hub.firstError != null) {
            r.notes += "First stream error: " + hub.firstError + ". ";
        }
        if (pub.firstError != null) {
            r.notes += "First publish error: " + pub.firstError + ". ";
        }
        r.notes += String.format(Locale.ROOT, "Publish round trip avg %.2f ms, max %.1f ms; publisher max lateness %.1f ms. ",
                pub.sumRttNs.get() / 1e6 / Math.max(1, r.published + r.publishFailed), pub.maxRttNs.get() / 1e6,
                pub.maxLateNs.get() / 1e6);
        // every requested stream expects every event of its topic; say how much of the loss fell on
        // streams that never went live (subscribed, answered 200, but never served)
        {
            long exp = 0;
            int[] liveOn = new int[o.topics];
            for (SseConn c : hub.conns) {
                if (c.live) {
                    liveOn[c.topic]++;
                }
            }
            for (int t = 0; t < o.topics; t++) {
                exp += (long) pub.ok.get(t) * liveOn[t];
            }
            r.lostOnDeadStreams = r.expected - exp;
        }
        log("hub: %d/%d delivered, %d dups, p99 %.1f ms", r.received, r.expected, r.dups, r.pct(99));
        return r;
    }

    static Result runBaseline(Opts o, RedisProbe redis) throws Exception {
        Result r = new Result();
        int n = o.baselineStreams;
        r.name = "baseline";
        r.streams = n;
        r.scale = (double) o.streams / n;
        Set<String> none = Set.of();
        Baseline b = new Baseline(o, n);
        long start = System.nanoTime() + 50_000_000L;
        log("baseline: %d pollers (LRANGE every %d ms) over %d topics on %d connections", n, o.baselinePollMs, o.topics,
                Math.min(o.baselineConns, n));
        b.startPolling(start);
        sleepMs(50 + o.baselinePollMs);
        ProcSnap self0 = ProcSnap.self();
        RedisSnap i0 = redis.snap();
        sleepMs(o.idle * 1000L);
        RedisSnap i1 = redis.snap();
        r.idle = RedisProbe.delta(i0, i1, BASE_CMDS, none);
        long t0 = System.nanoTime() + 20_000_000L;
        b.base = t0;
        log("baseline: publishing %d events at %.0f/s (LPUSH+LTRIM+EXPIRE)", o.totalEvents(), o.rate);
        RedisSnap l0 = redis.snap();
        SysSnap sys0 = SysSnap.now();
        AllProcs all0 = AllProcs.now();
        ProcSnap selfL0 = ProcSnap.self();
        b.publish(t0);
        RedisSnap l1 = redis.snap();
        ProcSnap selfL1 = ProcSnap.self();
        SysSnap sys1 = SysSnap.now();
        r.othersLoad = all0.top(AllProcs.now(), Set.of(ProcessHandle.current().pid()), o.clkTck, 4);
        r.machineBusyLoad = sys0.busyPercent(sys1);
        long expected = b.expected();
        long drainEnd = System.nanoTime() + (o.baselinePollMs + 2000L) * 1_000_000L;
        while (b.distinct.sum() < expected && System.nanoTime() < drainEnd) {
            sleepMs(20);
        }
        RedisSnap l2 = redis.snap();
        r.load = RedisProbe.delta(l0, l1, BASE_CMDS, none);
        r.loadAndDrain = RedisProbe.delta(l0, l2, BASE_CMDS, none);
        r.genCpuLoad = selfL0.cpuPercent(selfL1, o.clkTck);
        r.published = b.okTotal();
        r.publishFailed = b.pubFailed.get();
        r.publishSecs = (o.totalEvents() - 1) / o.rate;
        long polls = b.polls.get();
        Rec rec = b.stopAndMerge();
        fill(r, rec, expected, t0);
        double secs = (System.nanoTime() - start) / 1e9;
        double target = n * 1000.0 / o.baselinePollMs;
        double achieved = polls / secs;
        r.notes += String.format(Locale.ROOT,
                "Pollers: %d polls, %.0f/s of %.0f/s scheduled; %d polls answered > 100 ms after their due time; "
                        + "max poll lag %.1f ms; writer max lateness %.1f ms. ",
                polls, achieved, target, b.pollsLate.get(), b.maxPollLagNs.get() / 1e6, b.maxWriterLateNs.get() / 1e6);
        if (achieved < 0.95 * target || b.pollsLate.get() > polls / 100) {
            r.notes += "SATURATED: the pollers could not keep their schedule on this machine; run with a smaller "
                    + "BASELINE_STREAMS and read the scaled column. ";
        }
        if (b.firstError != null) {
            r.notes += "First error: " + b.firstError + ". ";
        }
        log("baseline: %d/%d delivered, p99 %.1f ms, %.0f polls/s", r.received, r.expected, r.pct(99), achieved);
        return r;
    }

    // ------------------------------------------------------------------ the table

    static String f(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    static String ratio(double base, double hub) {
        if (Double.isNaN(base) || Double.isNaN(hub)) {
            return "n/a";
        }
        if (hub <= 0) {
            return base > 0 ? "∞ (hub 0)" : "n/a";
        }
        return String.format(Locale.ROOT, "%,.1f×", base / hub);
    }

    /** A baseline Redis figure scaled to N streams: the LRANGE part grows with streams, the rest does not. */
    static double scaledCmds(RedisDelta d, double scale, boolean perSecond, long publishes) {
        if (d == null) {
            return Double.NaN;
        }
        double lr = d.calls("lrange");
        double v = d.sent - lr + lr * scale;
        return perSecond ? v / d.secs : v / Math.max(1, publishes);
    }

    static String report(Opts o, Result hub, Result base, String machine, RedisDelta after) {
        StringBuilder sb = new StringBuilder();
        sb.append("### event-hub benchmark: ").append(o.streams).append(" streams, ").append(o.topics)
                .append(" topics, ").append(f(o.rate, 0)).append(" publishes/s for ").append(o.duration).append(" s\n\n");
        if (!o.label.isBlank()) {
            sb.append("Settings: ").append(o.label).append("  \n");
        }
        sb.append("Machine: ").append(machine).append("  \n");
        sb.append("Windows: background ").append(o.quiet).append(" s, hub warm-up ").append(o.warmup).append(" s, idle ")
                .append(o.idle).append(" s, load ")
                .append(o.duration).append(" s (+ drain up to ").append(o.drainMs).append(" ms for per-publish figures).\n\n");
        boolean scaled = base != null && base.scale != 1;
        sb.append("| metric | hub |");
        if (base != null) {
            sb.append(" baseline (").append(base.streams).append(" pollers, measured) |");
            if (scaled) {
                sb.append(" baseline scaled to ").append(o.streams).append(" |");
            }
            sb.append(" baseline / hub |");
        }
        sb.append('\n');
        int cols = 2 + (base != null ? 2 : 0) + (scaled ? 1 : 0);
        sb.append("|").append("---|".repeat(cols)).append('\n');

        Result h = hub;
        row(sb, "events published (ok / failed)", h == null ? "n/a" : h.published + " / " + h.publishFailed,
                base == null ? null : base.published + " / " + base.publishFailed, scaled ? "same" : null, null);
        row(sb, "deliveries expected", h == null ? "n/a" : f(h.expected, 0), base == null ? null : f(base.expected, 0),
                scaled ? f(base.expected * base.scale, 0) : null, null);
        row(sb, "delivered/s (first publish → last delivery)", h == null ? "n/a" : f(h.deliveredPerSec, 0),
                base == null ? null : f(base.deliveredPerSec, 0), scaled ? f(base.deliveredPerSec * base.scale, 0) : null,
                null);
        row(sb, "peak deliveries in one second", h == null ? "n/a" : f(h.peakPerSec, 0),
                base == null ? null : f(base.peakPerSec, 0), scaled ? f(base.peakPerSec * base.scale, 0) : null, null);
        row(sb, "latency p50 / p90 / p99 / max (ms)", h == null ? "n/a" : lat(h), base == null ? null : lat(base),
                scaled ? "same (per poll)" : null, null);
        row(sb, "loss (expected − received)", h == null ? "n/a" : f(h.loss(), 0)
                + (h.lostOnDeadStreams > 0 ? " (" + f(h.lostOnDeadStreams, 0) + " on streams never served)" : ""), base == null ? null : f(base.loss(), 0),
                scaled ? f(base.loss() * base.scale, 0) : null, null);
        row(sb, "duplicates", h == null ? "n/a" : f(h.dups, 0),
                base == null ? null : "0 (pollers keep the newest seq)", scaled ? "-" : null, null);
        row(sb, "resyncs (whole run) / streams ended by server", h == null ? "n/a" : h.resyncs + " / " + h.closed,
                base == null ? null : "-", scaled ? "-" : null, null);

        RedisDelta hi = h == null ? null : h.idle;
        RedisDelta hl = h == null ? null : h.load;
        RedisDelta hd = h == null ? null : h.loadAndDrain;
        RedisDelta bi = base == null ? null : base.idle;
        RedisDelta bl = base == null ? null : base.load;
        RedisDelta bd = base == null ? null : base.loadAndDrain;
        double hIdle = hi == null ? Double.NaN : hi.sentPerSec();
        double hLoad = hl == null ? Double.NaN : hl.sentPerSec();
        double hPer = hd == null ? Double.NaN : (double) hd.sent / Math.max(1, h.published);
        double bIdle = bi == null ? Double.NaN : bi.sentPerSec();
        double bLoad = bl == null ? Double.NaN : bl.sentPerSec();
        double bPer = bd == null ? Double.NaN : (double) bd.sent / Math.max(1, base.published);
        double sIdle = scaled ? scaledCmds(bi, base.scale, true, 0) : bIdle;
        double sLoad = scaled ? scaledCmds(bl, base.scale, true, 0) : bLoad;
        double sPer = scaled ? scaledCmds(bd, base.scale, false, base.published) : bPer;
        row(sb, "Redis cmds/s idle (sent by clients)", f(hIdle, 1), base == null ? null : f(bIdle, 1),
                scaled ? f(sIdle, 1) : null, base == null ? null : ratio(sIdle, hIdle));
        row(sb, "Redis cmds/s under load (sent by clients)", f(hLoad, 1), base == null ? null : f(bLoad, 1),
                scaled ? f(sLoad, 1) : null, base == null ? null : ratio(sLoad, hLoad));
        row(sb, "Redis cmds per publish (sent by clients)", f(hPer, 2), base == null ? null : f(bPer, 2),
                scaled ? f(sPer, 2) : null, base == null ? null : ratio(sPer, hPer));
        double hIdleX = hi == null ? Double.NaN : hi.executedPerSec();
        double hLoadX = hl == null ? Double.NaN : hl.executedPerSec();
        double hPerX = hd == null ? Double.NaN : (double) hd.executed / Math.max(1, h.published);
        row(sb, "Redis cmds/s idle / load, incl. inside Lua", f(hIdleX, 1) + " / " + f(hLoadX, 1),
                base == null ? null : f(bi == null ? Double.NaN : bi.executedPerSec(), 1) + " / "
                        + f(bl == null ? Double.NaN : bl.executedPerSec(), 1),
                scaled ? f(sIdle, 1) + " / " + f(sLoad, 1) : null,
                base == null ? null : ratio(sIdle, hIdleX) + " / " + ratio(sLoad, hLoadX));
        row(sb, "Redis cmds per publish, incl. inside Lua", f(hPerX, 2), base == null ? null : f(bPer, 2),
                scaled ? f(sPer, 2) : null, base == null ? null : ratio(sPer, hPerX));
        row(sb, "whole Redis, all clients: cmds/s idle / load", f(hi == null ? Double.NaN : hi.totalPerSec(), 1) + " / "
                + f(hl == null ? Double.NaN : hl.totalPerSec(), 1),
                base == null ? null : f(bi == null ? Double.NaN : bi.totalPerSec(), 1) + " / "
                        + f(bl == null ? Double.NaN : bl.totalPerSec(), 1), scaled ? "-" : null, null);
        double hCpuI = hi == null ? Double.NaN : hi.cpuPercent();
        double hCpuL = hl == null ? Double.NaN : hl.cpuPercent();
        double bCpuI = bi == null ? Double.NaN : bi.cpuPercent();
        double bCpuL = bl == null ? Double.NaN : bl.cpuPercent();
        row(sb, "Redis server CPU % idle / load", f(hCpuI, 1) + " / " + f(hCpuL, 1),
                base == null ? null : f(bCpuI, 1) + " / " + f(bCpuL, 1),
                scaled ? "~" + f(bCpuI * base.scale, 0) + " / ~" + f(bCpuL * base.scale, 0) : null,
                base == null ? null : ratio(scaled ? bCpuL * base.scale : bCpuL, hCpuL) + " (load)");
        row(sb, "hub server CPU % idle / load (of one core)", h == null ? "n/a" : f(h.serverCpuIdle, 1) + " / " + f(h.serverCpuLoad, 1),
                base == null ? null : "- (no hub)", scaled ? "-" : null, null);
        row(sb, "hub server RSS MB at end of load (peak)", h == null ? "n/a" : f(h.rssMb, 0) + " (" + f(h.hwmMb, 0) + ")",
                base == null ? null : "-", scaled ? "-" : null, null);
        row(sb, "load generator CPU % under load", h == null ? "n/a" : f(h.genCpuLoad, 0),
                base == null ? null : f(base.genCpuLoad, 0), scaled ? "-" : null, null);
        double hOther = h == null ? Double.NaN
                : h.machineBusyLoad - h.serverCpuLoad - h.genCpuLoad - (hl == null ? 0 : hl.cpuPercent());
        double bOther = base == null ? Double.NaN
                : base.machineBusyLoad - base.genCpuLoad - (bl == null ? 0 : bl.cpuPercent());
        row(sb, "machine CPU % busy under load (rest: other processes, kernel)",
                h == null ? "n/a" : f(h.machineBusyLoad, 0) + " (" + f(hOther, 0) + ")",
                base == null ? null : f(base.machineBusyLoad, 0) + " (" + f(bOther, 0) + ")", scaled ? "-" : null, null);
        sb.append('\n');
        double before = h != null && h.quiet != null ? h.quiet.totalPerSec() : Double.NaN;
        double afterRate = after == null ? Double.NaN : after.totalPerSec();
        sb.append(String.format(Locale.ROOT,
                "Background Redis traffic (no stream open, nothing publishing): %s cmds/s before, %s cmds/s after. "
                        + "Redis figures are deltas of INFO all (commandstats, total_commands_processed, used_cpu_*) on "
                        + "the Redis used; per-side rows count only the command types that side sends (hub: EVALSHA, "
                        + "EVAL, MGET, pub/sub and connection commands; baseline: LRANGE, LPUSH, LTRIM, EXPIRE), so "
                        + "another client's commands of the same types would still count. Redis CPU is the whole "
                        + "server's.\n",
                f(before, 1), f(afterRate, 1)));
        if ((!Double.isNaN(before) && before > 0.5) || (!Double.isNaN(afterRate) && afterRate > 0.5)) {
            sb.append("**Warning: other clients were using this Redis: the whole-Redis rows and Redis CPU include them, and "
                    + "per-side rows may include their commands of the same types (REDIS=private gives the run a Redis "
                    + "of its own).**\n");
        }
        String foreign = foreign(hi, HUB_CMDS, o.scriptCommands) + foreign(hl, HUB_CMDS, o.scriptCommands)
                + foreign(bi, BASE_CMDS, Set.of()) + foreign(bl, BASE_CMDS, Set.of());
        if (!foreign.isBlank()) {
            sb.append("**Warning: commands neither side sends were counted in the measured windows (").append(foreign.trim())
                    .append("): another client used this Redis during them (REDIS=private avoids this).**\n");
        }
        if (hOther > 30 || bOther > 30) {
            sb.append("**Warning: besides the hub, the load generator and Redis, over 30% of a core was busy during a load "
                    + "window (see the busiest processes below); latency and CPU figures may be affected.**\n");
        }
        if (h != null) {
            sb.append("Busiest other processes during the hub's load window: ").append(h.othersLoad).append(".\n");
        }
        if (base != null) {
            sb.append("Busiest processes during the baseline's load window (besides the load generator): ")
                    .append(base.othersLoad).append(".\n");
        }
        if (h != null && hl != null) {
            sb.append("Hub Redis commands under load: ").append(hl.top(8)).append(".\n");
            if (!o.scriptCommands.isEmpty()) {
                sb.append("\"Sent by clients\": an EVALSHA counts once; \"incl. inside Lua\" adds what the hub's scripts run (")
                        .append(String.join(",", new java.util.TreeSet<>(o.scriptCommands)))
                        .append(").\n");
            }
        }
        if (bl != null) {
            sb.append("Baseline Redis commands under load: ").append(bl.top(5)).append(".\n");
        }
        if (h != null && !h.notes.isBlank()) {
            sb.append("Hub notes: ").append(h.notes.trim()).append('\n');
        }
        if (base != null && !base.notes.isBlank()) {
            sb.append("Baseline notes: ").append(base.notes.trim());
            if (scaled) {
                sb.append(String.format(Locale.ROOT,
                        " Run at %d pollers and scaled ×%.2f to %d streams: LRANGE counts, deliveries and Redis CPU scale "
                                + "linearly with pollers; publish commands and latencies do not.",
                        base.streams, base.scale, o.streams));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static final Set<String> HUB_CMDS = Set.of("evalsha", "eval", "mget", "hello", "ping", "select", "auth",
            "client|setinfo", "client|setname", "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "publish",
            "script|load", "script|exists");
    static final Set<String> BASE_CMDS = Set.of("lrange", "lpush", "ltrim", "expire");

    /** Commands in a window that the side being measured never sends: traffic of another client. */
    static String foreign(RedisDelta d, Set<String> own, Set<String> inner) {
        if (d == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(d.byCmd).entrySet()) {
            if (e.getValue() > 0 && !own.contains(e.getKey()) && !inner.contains(e.getKey()) && !e.getKey().equals("info")) {
                sb.append(e.getKey()).append('=').append(e.getValue()).append(' ');
            }
        }
        return sb.toString();
    }

    static String lat(Result r) {
        return f(r.pct(50), 1) + " / " + f(r.pct(90), 1) + " / " + f(r.pct(99), 1) + " / " + f(r.max(), 1);
    }

    static void row(StringBuilder sb, String name, String hub, String base, String scaled, String ratio) {
        sb.append("| ").append(name).append(" | ").append(hub).append(" |");
        if (base != null) {
            sb.append(' ').append(base).append(" |");
            if (scaled != null) {
                sb.append(' ').append(scaled).append(" |");
            }
            sb.append(' ').append(ratio == null ? "" : ratio).append(" |");
        } else if (scaled != null) {
            sb.append(' ').append(scaled).append(" |");
        }
        sb.append('\n');
    }

    static String machine() {
        String mem = "?";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    mem = Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0) + " GiB";
                }
            }
        } catch (IOException ignored) {
            // unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cpus, " + mem + " RAM, Java "
                + System.getProperty("java.version");
    }

    public static void main(String[] args) throws Exception {
        Opts o = Opts.parse(args);
        RedisProbe redis = new RedisProbe(o);
        Result hub = null;
        Result base = null;
        if (o.hub) {
            hub = runHub(o, redis);
            sleepMs(500);
        }
        if (o.baseline) {
            if (redis.resp == null) {
                log("baseline skipped: no Redis");
            } else {
                base = runBaseline(o, redis);
            }
        }
        RedisDelta after = null;
        if (redis.resp != null) {
            log("background window %d s (everything stopped)", o.quiet);
            RedisSnap a0 = redis.snap();
            sleepMs(o.quiet * 1000L);
            after = RedisProbe.delta(a0, redis.snap(), null, Set.of());
        }
        String md = report(o, hub, base, machine(), after);
        System.out.println();
        System.out.println(md);
        if (o.mdOut != null) {
            Files.writeString(Path.of(o.mdOut), md);
        }
        if (redis.resp != null) {
            redis.resp.close();
        }
        System.exit(0);
    }
}
