package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.util.Locale;
import java.util.Set;

/** The baseline's phase: the design note's pollers and publisher on the same Redis, measured like a server. */
final class BaselinePhase {
    static final Set<String> CMDS = Set.of("lrange", "lpush", "ltrim", "expire");

    private BaselinePhase() {}

    static Result run(Opts o, Layout layout, RedisProbe redis) throws Exception {
        Result r = new Result();
        int n = o.baselineStreams;
        r.name = "baseline (design note), " + n + " pollers";
        r.streams = n;
        r.scale = (double) o.streams / n;
        Set<String> none = Set.of();
        r.ownCommands = CMDS;
        r.scriptCommands = none;
        Baseline b = new Baseline(o, layout, n);
        long start = System.nanoTime() + 50_000_000L;
        log(
                "baseline: %d pollers (LRANGE every %d ms) over %d topics on %d connections",
                n, o.baselinePollMs, layout.topics.length, Math.min(o.baselineConns, n));
        b.startPolling(start);
        sleepMs(50 + o.baselinePollMs);
        ProcSnap self0 = ProcSnap.self();
        RedisSnap i0 = redis.snap();
        sleepMs(o.idle * 1000L);
        RedisSnap i1 = redis.snap();
        r.idle = RedisProbe.delta(i0, i1, CMDS, none);
        long t0 = System.nanoTime() + 20_000_000L;
        b.base = t0;
        log("baseline: publishing %d events at %.0f/s (LPUSH+LTRIM+EXPIRE)", o.totalEvents(), o.rate);
        RedisSnap l0 = redis.snap();
        MachineSnap sys0 = MachineSnap.now();
        ProcessTable all0 = ProcessTable.now();
        ProcSnap selfL0 = ProcSnap.self();
        b.publish(t0);
        RedisSnap l1 = redis.snap();
        ProcSnap selfL1 = ProcSnap.self();
        MachineSnap sys1 = MachineSnap.now();
        r.othersLoad =
                all0.top(ProcessTable.now(), Set.of(ProcessHandle.current().pid()), o.clkTck, 4);
        r.machineBusyLoad = sys0.busyPercent(sys1);
        long expected = b.expected();
        long drainEnd = System.nanoTime() + (o.baselinePollMs + 2000L) * 1_000_000L;
        while (b.distinct.sum() < expected && System.nanoTime() < drainEnd) {
            sleepMs(20);
        }
        RedisSnap l2 = redis.snap();
        r.load = RedisProbe.delta(l0, l1, CMDS, none);
        r.loadAndDrain = RedisProbe.delta(l0, l2, CMDS, none);
        r.genCpuLoad = selfL0.cpuPercent(selfL1, o.clkTck);
        r.published = b.okTotal();
        r.publishFailed = b.pubFailed.get();
        r.publishSecs = (o.totalEvents() - 1) / o.rate;
        long polls = b.polls.get();
        Recorder rec = b.stopAndMerge();
        r.fill(rec, expected, t0);
        double secs = (System.nanoTime() - start) / 1e9;
        double target = n * 1000.0 / o.baselinePollMs;
        double achieved = polls / secs;
        r.notes += String.format(
                Locale.ROOT,
                "Pollers: %d polls, %.0f/s of %.0f/s scheduled; %d polls answered > 100 ms after their due time; "
                        + "max poll lag %.1f ms; writer max lateness %.1f ms. ",
                polls,
                achieved,
                target,
                b.pollsLate.get(),
                b.maxPollLagNs.get() / 1e6,
                b.maxWriterLateNs.get() / 1e6);
        if (achieved < 0.95 * target || b.pollsLate.get() > polls / 100) {
            r.notes += "SATURATED: the pollers could not keep their schedule on this machine; run with a smaller "
                    + "BASELINE_STREAMS and read the scaled column. ";
        }
        if (r.scale != 1) {
            r.notes += String.format(
                    Locale.ROOT,
                    "Ran %d pollers for %d streams: its LRANGE counts, deliveries and Redis "
                            + "CPU grow linearly with pollers (×%.2f), the rest does not. ",
                    n,
                    o.streams,
                    r.scale);
        }
        if (b.firstError != null) {
            r.notes += "First error: " + b.firstError + ". ";
        }
        log("baseline: %d/%d delivered, p99 %.1f ms, %.0f polls/s", r.received, r.expected, r.pct(99), achieved);
        return r;
    }
}
