package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/** Publishes events over keep-alive HTTP/1.1 connections on a fixed schedule, timing each answer. */
final class HttpPublisher {
    final Opts o;
    final Target target;
    final Layout layout;
    final AtomicIntegerArray ok;
    /** Publish answer times in microseconds, one list per connection (merged by {@link #answerTimes}). */
    final List<IntList> rtts = new ArrayList<>();

    final AtomicLong failed = new AtomicLong();
    final AtomicLong maxLateNs = new AtomicLong();
    final AtomicLong sumRttNs = new AtomicLong();
    final AtomicLong maxRttNs = new AtomicLong();
    volatile String firstError;
    long firstSendNs;
    long lastSendNs;

    HttpPublisher(Opts o, Target target, Layout layout) {
        this.o = o;
        this.target = target;
        this.layout = layout;
        this.ok = new AtomicIntegerArray(layout.topics.length);
    }

    /**
     * Publishes events {@code from .. from+count-1} (event i goes to topic i % T with sequence i / T + 1)
     * paced at the rate from {@code t0}; returns when all are answered.
     */
    void run(long t0, long from, long count) throws InterruptedException {
        long total = count;
        double interval = 1e9 / o.rate;
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < o.pubConns; k++) {
            int first = k;
            IntList rtt = new IntList();
            rtts.add(rtt);
            Thread th = new Thread(() -> work(first, total, t0, interval, from, rtt), "pub-" + k);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        firstSendNs = t0;
        lastSendNs = t0 + (long) ((total - 1) * interval);
    }

    private void work(int first, long total, long t0, double interval, long from, IntList rttUs) {
        int topics = layout.topics.length;
        Socket s = null;
        OutputStream out = null;
        HttpResponseReader in = null;
        for (long i = first; i < total; i += o.pubConns) {
            long due = t0 + (long) (i * interval);
            parkUntil(due);
            int topic = (int) ((from + i) % topics);
            long bseq = (from + i) / topics + 1;
            try {
                if (s == null) {
                    s = new Socket();
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(target.host(), target.port()), 5000);
                    out = new BufferedOutputStream(s.getOutputStream(), 8192);
                    in = new HttpResponseReader(s.getInputStream());
                }
                long sent = System.nanoTime();
                maxLateNs.accumulateAndGet(sent - due, Math::max);
                byte[] bodyBytes = layout.body(topic, bseq, sent).getBytes(StandardCharsets.UTF_8);
                String headers = "POST " + target.publishPath(layout.topics[topic]) + " HTTP/1.1\r\nHost: "
                        + target.host() + ":" + target.port() + "\r\nAuthorization: Bearer " + target.publishKey()
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + bodyBytes.length + "\r\n\r\n";
                out.write(headers.getBytes(StandardCharsets.US_ASCII));
                out.write(bodyBytes);
                out.flush();
                int status = in.response();
                long rtt = System.nanoTime() - sent;
                sumRttNs.addAndGet(rtt);
                maxRttNs.accumulateAndGet(rtt, Math::max);
                rttUs.add((int) Math.min(Integer.MAX_VALUE, rtt / 1000));
                if (target.publishOk(status)) {
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

    /** Every publish answer time in microseconds, sorted. */
    int[] answerTimes() {
        IntList all = new IntList();
        rtts.forEach(all::addAll);
        int[] a = Arrays.copyOf(all.a, all.n);
        Arrays.sort(a);
        return a;
    }
}
