package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The design note's approach, simulated against the same Redis: every stream polls
 * {@code LRANGE messages:<topic> 0 -1} once per period (pipelined over a few connections) and the
 * publisher runs {@code LPUSH + LTRIM + EXPIRE}. Same topics, rate and duration as the hub's phase.
 */
final class Baseline {
    record Poll(int poller, long dueNs) {}

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
    final List<Recorder> recs = new ArrayList<>();
    volatile long base;
    volatile boolean stopPolling;
    volatile String firstError;
    final List<Thread> threads = new ArrayList<>();
    final List<RespClient> conns = new ArrayList<>();

    final Layout layout;

    Baseline(Opts o, Layout layout, int n) {
        this.o = o;
        this.layout = layout;
        int topics = layout.topics.length;
        this.n = n;
        topicOf = new int[n];
        phaseNs = new long[n];
        maxSeen = new long[n];
        pollersOnTopic = new int[topics];
        periodNs = o.baselinePollMs * 1_000_000L;
        Random rnd = new Random(42);
        for (int j = 0; j < n; j++) {
            topicOf[j] = j % topics;
            pollersOnTopic[j % topics]++;
            phaseNs[j] = (long) (rnd.nextDouble() * periodNs);
        }
        lrange = new byte[topics][];
        for (int t = 0; t < topics; t++) {
            String key = key(t);
            int kl = key.getBytes(StandardCharsets.UTF_8).length;
            lrange[t] = ("*4\r\n$6\r\nLRANGE\r\n$" + kl + "\r\n" + key + "\r\n$1\r\n0\r\n$2\r\n-1\r\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        ok = new AtomicIntegerArray(topics);
    }

    String key(int t) {
        return o.prefix + "messages:" + layout.topics[t];
    }

    void startPolling(long start) throws IOException {
        int k = Math.max(1, Math.min(o.baselineConns, n));
        for (int c = 0; c < k; c++) {
            RespClient conn = new RespClient(o.redisHost, o.redisPort);
            conns.add(conn);
            List<Integer> mine = new ArrayList<>();
            for (int j = c; j < n; j += k) {
                mine.add(j);
            }
            mine.sort((a, b) -> Long.compare(phaseNs[a], phaseNs[b]));
            int[] order = mine.stream().mapToInt(Integer::intValue).toArray();
            ArrayBlockingQueue<Poll> q = new ArrayBlockingQueue<>(Math.max(1024, order.length * 4));
            Recorder rec = new Recorder();
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

    private void pollWriter(RespClient conn, int[] order, ArrayBlockingQueue<Poll> q, long start, AtomicInteger done) {
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

    private void pollReader(RespClient conn, ArrayBlockingQueue<Poll> q, Recorder rec, AtomicInteger writerDone) {
        byte[] buf = new byte[4096];
        RespReader in = conn.in;
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
        int topics = layout.topics.length;
        double interval = 1e9 / o.rate;
        RespClient conn = new RespClient(o.redisHost, o.redisPort);
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>((int) Math.min(total + 16, 1 << 20));
        String retentionLast = Integer.toString(o.retention - 1);
        Thread reader = new Thread(
                () -> {
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
                },
                "base-pub-r");
        reader.start();
        try {
            for (long i = 0; i < total; i++) {
                long due = t0 + (long) (i * interval);
                parkUntil(due);
                int topic = (int) (i % topics);
                long bseq = i / topics + 1;
                long sent = System.nanoTime();
                // the JSON a hub-less design would store: the body plus the fields the app adds
                String b = layout.body(topic, bseq, sent);
                // (the baseline runs the fanout layout only: topic t is trip/b<t>/comments)
                String json = b.substring(0, b.length() - 1) + ",\"entityType\":\"trip\",\"entityId\":\"b" + topic
                        + "\",\"channel\":\"comments\",\"timestamp\":\"" + Instant.now() + "\"}";
                String key = key(topic);
                q.put(topic);
                RespClient.writeCommand(conn.out, "LPUSH", key, json);
                RespClient.writeCommand(conn.out, "LTRIM", key, "0", retentionLast);
                RespClient.writeCommand(conn.out, "EXPIRE", key, "3600");
                conn.out.flush();
            }
        } finally {
            reader.join(30_000);
            conn.close();
        }
    }

    Recorder stopAndMerge() throws InterruptedException {
        stopPolling = true;
        for (Thread t : threads) {
            t.join(15_000);
        }
        for (RespClient c : conns) {
            try {
                c.close();
            } catch (IOException ignored) {
                // done
            }
        }
        Recorder all = new Recorder();
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
