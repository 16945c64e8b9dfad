package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One measured phase against one server: a background window, opening every stream of the layout
 * (live at its first frame), a warm-up, an idle window, the load window and a drain. The server's CPU
 * and RSS come from /proc (with its children), Redis figures from INFO deltas.
 */
final class StreamPhase {
    private StreamPhase() {}

    static Result run(Opts o, Target target, Layout layout, String name, RedisProbe redis) throws Exception {
        String side = name;
        long pid = target.pid();
        Set<String> own = target.ownCommands();
        Result r = new Result();
        r.name = name;
        r.streams = layout.streams();
        Set<String> inner = target.scriptOnly();
        r.ownCommands = own;
        r.scriptCommands = inner;
        int streams = layout.streams();
        int topics = layout.topics.length;

        log("%s: background window %d s (server up, no streams)", side, o.quiet);
        RedisSnap q0 = redis.snap();
        sleepMs(o.quiet * 1000L);
        r.quiet = RedisProbe.delta(q0, redis.snap(), null, Set.of());

        SseReaders hub = new SseReaders(o, target, layout);
        long openStart = System.nanoTime();
        log(
                "%s: opening %d streams over %d topics (%d at a time, %d selector threads)",
                side, streams, topics, o.openInflight, o.sseThreads);
        hub.start();
        long deadline = openStart + o.openTimeout * 1_000_000_000L;
        long nextLog = System.nanoTime() + 2_000_000_000L;
        int lastLive = -1;
        long lastProgress = System.nanoTime();
        while (!hub.allSettled() && System.nanoTime() < deadline) {
            sleepMs(50);
            int nowLive = hub.live.get() + hub.openFailures.get() + hub.answered.get();
            if (nowLive != lastLive) {
                lastLive = nowLive;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > 30_000_000_000L && hub.nextToOpen.get() >= streams) {
                log(
                        "%s: no stream answered or went live for 30 s; going on with %d live streams",
                        side, hub.live.get());
                break;
            }
            if (System.nanoTime() > nextLog) {
                log(
                        "%s: %d/%d streams live, %d answered, %d open failures",
                        side, hub.live.get(), streams, hub.answered.get(), hub.openFailures.get());
                nextLog += 2_000_000_000L;
            }
        }
        double openSecs = (System.nanoTime() - openStart) / 1e9;
        int live = hub.live.get();
        log(
                "%s: %d/%d streams live after %.1f s (%d open failures, %d non-200)",
                side, live, streams, openSecs, hub.openFailures.get(), hub.badStatus.get());
        if (hub.firstBadStatus != null) {
            log("%s: first non-200 answer: %s", side, hub.firstBadStatus);
        }
        r.notes += String.format(Locale.ROOT, "%d/%d streams live after %.1f s of opening. ", live, streams, openSecs);
        if (live == 0) {
            // say so in the table (e.g. a checkout without the multiplexed stream) and go on with the other sides
            hub.stopAndMerge();
            r.notes += "NOT MEASURED: no stream went live (first answer: "
                    + (hub.firstBadStatus != null ? hub.firstBadStatus : String.valueOf(hub.firstError)) + "). ";
            log("%s: no stream went live; this side is not measured", side);
            r.measured = false;
            return r;
        }

        long warmCount = Math.round(o.rate * o.warmup);
        if (warmCount > 0) {
            log("%s: warm-up, %d events at %.0f/s (not measured)", side, warmCount, o.rate);
            HttpPublisher warm = new HttpPublisher(o, target, layout);
            warm.run(System.nanoTime() + 20_000_000L, 0, warmCount);
            long warmExpected = Layout.expected(warm.ok, hub.streamsOnTopic);
            drain(o, hub.warmSeen::sum, warmExpected);
            r.notes += String.format(
                    Locale.ROOT,
                    "Warm-up: %d events, %d/%d deliveries. ",
                    warm.okTotal(),
                    hub.warmSeen.sum(),
                    warmExpected);
        }

        log("%s: idle window %d s (all streams open, no publishing)", side, o.idle);
        ProcSnap pIdle0 = ProcSnap.of(pid);
        RedisSnap i0 = redis.snap();
        sleepMs(o.idle * 1000L);
        RedisSnap i1 = redis.snap();
        ProcSnap pIdle1 = ProcSnap.of(pid);
        r.rssIdleMb = pIdle1.rssKb() < 0 ? Double.NaN : pIdle1.rssKb() / 1024.0;
        r.idle = RedisProbe.delta(i0, i1, own, inner);
        r.serverCpuIdle = pIdle0.cpuPercent(pIdle1, o.clkTck);

        HttpPublisher pub = new HttpPublisher(o, target, layout);
        long t0 = System.nanoTime() + 50_000_000L;
        hub.base = t0;
        log(
                "%s: publishing %d events at %.0f/s for %d s over %d connections",
                side, o.totalEvents(), o.rate, o.duration, o.pubConns);
        MachineSnap sys0 = MachineSnap.now();
        ProcessTable all0 = ProcessTable.now();
        ProcSnap self0 = ProcSnap.self();
        ProcSnap pLoad0 = ProcSnap.of(pid);
        RedisSnap l0 = redis.snap();
        pub.run(t0, warmCount, o.totalEvents());
        RedisSnap l1 = redis.snap();
        ProcSnap pLoad1 = ProcSnap.of(pid);
        ProcSnap self1 = ProcSnap.self();
        MachineSnap sys1 = MachineSnap.now();
        r.othersLoad = all0.top(
                ProcessTable.now(), withChildren(pid, ProcessHandle.current().pid()), o.clkTck, 4);
        r.machineBusyLoad = sys0.busyPercent(sys1);
        long expected = 0;
        expected = Layout.expected(pub.ok, hub.streamsOnTopic);
        long drainStart = System.nanoTime();
        drain(o, hub.distinct::sum, expected);
        r.drainSecs = (System.nanoTime() - drainStart) / 1e9;
        r.notes += String.format(Locale.ROOT, "Drain after the load window: %.1f s. ", r.drainSecs);
        RedisSnap l2 = redis.snap();
        ProcSnap pEnd = ProcSnap.of(pid);
        r.load = RedisProbe.delta(l0, l1, own, inner);
        r.loadAndDrain = RedisProbe.delta(l0, l2, own, inner);
        r.serverCpuLoad = pLoad0.cpuPercent(pLoad1, o.clkTck);
        r.genCpuLoad = self0.cpuPercent(self1, o.clkTck);
        r.rssMb = pEnd.rssKb() < 0 ? Double.NaN : pEnd.rssKb() / 1024.0;
        r.hwmMb = pEnd.hwmKb() < 0 ? Double.NaN : pEnd.hwmKb() / 1024.0;
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
            r.notes += "THE SERVER PROCESS (pid " + pid + ") WAS GONE at the end of the load window: "
                    + "something else stopped it; this run's hub figures are void. ";
            log("%s: the server process %d is gone", side, pid);
        }
        r.published = pub.okTotal();
        r.publishFailed = pub.failed.get();
        r.publishSecs = (pub.lastSendNs - t0) / 1e9;
        Recorder rec = hub.stopAndMerge();
        r.fill(rec, expected, t0);
        r.publishUs = pub.answerTimes();
        r.closed = hub.closedAfterLive.get();
        if (live < streams) {
            int answered = 0;
            Set<Integer> stuckTopics = new java.util.TreeSet<>();
            for (SseStream c : hub.conns) {
                if (!c.live && c.httpState == SseStream.H_BODY) {
                    answered++;
                    for (int t : c.topics) {
                        stuckTopics.add(t);
                    }
                }
            }
            r.notes += (streams - live) + " streams never went live (no id: frame; counted as not subscribed, not as "
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
        r.notes += String.format(
                Locale.ROOT,
                "Publish round trip avg %.2f ms, max %.1f ms; publisher max lateness %.1f ms. ",
                pub.sumRttNs.get() / 1e6 / Math.max(1, r.published + r.publishFailed),
                pub.maxRttNs.get() / 1e6,
                pub.maxLateNs.get() / 1e6);
        // every requested stream expects every event of its topic; say how much of the loss fell on
        // streams that never went live (subscribed, answered 200, but never served)
        {
            long exp = 0;
            int[] liveOn = new int[topics];
            for (SseStream c : hub.conns) {
                if (c.live) {
                    for (int t : c.topics) {
                        liveOn[t]++;
                    }
                }
            }
            exp = Layout.expected(pub.ok, liveOn);
            r.lostOnDeadStreams = r.expected - exp;
        }
        log("%s: %d/%d delivered, %d dups, p99 %.1f ms", side, r.received, r.expected, r.dups, r.pct(99));
        return r;
    }

    /**
     * Waits until {@code seen} reaches {@code expected}: at least the drain time ({@code --drain-ms}),
     * then as long as deliveries still arrive (some within the last 2 s), at most {@code --drain-max-ms};
     * so a server that is behind gets to finish (counted as late, not lost) and a stuck one does not
     * hold the run.
     */
    static void drain(Opts o, LongSupplier seen, long expected) {
        long start = System.nanoTime();
        long min = start + o.drainMs * 1_000_000L;
        long max = start + Math.max(o.drainMs, o.drainMaxMs) * 1_000_000L;
        long last = seen.getAsLong();
        long lastProgress = start;
        while (seen.getAsLong() < expected) {
            long now = System.nanoTime();
            long v = seen.getAsLong();
            if (v != last) {
                last = v;
                lastProgress = now;
            }
            if (now > max || (now > min && now - lastProgress > 2_000_000_000L)) {
                return;
            }
            sleepMs(20);
        }
    }

    /** The pids of a process and its children (nginx's workers), plus {@code also}. */
    static Set<Long> withChildren(long pid, long also) {
        Set<Long> pids = new HashSet<>();
        pids.add(pid);
        pids.add(also);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(c -> pids.add(c.pid())));
        return pids;
    }
}
