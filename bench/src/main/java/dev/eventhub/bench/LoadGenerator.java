package dev.eventhub.bench;

import static dev.eventhub.bench.Pace.log;
import static dev.eventhub.bench.Pace.sleepMs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Load generator for event-hub: JDK only; {@code bench/run.sh} starts the servers and runs it as
 * {@code java -jar bench/target/loadgen.jar ...} ({@code --help} lists the options).
 *
 * <p>Scenario {@code fanout}: N one-topic streams over C topics against the hub, then (PEER=nchan) the
 * same against Nchan on the same Redis, then the design note's polling baseline. Scenario
 * {@code multiplex}: trip pages of six topics, as six one-topic streams per page and as one multiplexed
 * stream per page, against the hub (and, PEER=nchan, Nchan's multiplexed subscriber). Every phase
 * opens the same SSE readers, publishes the same events at the same rate over the same connections, and
 * measures the same windows; the report puts the sides side by side with ratios from this run.
 *
 * <p>Everything is bounded in time and goes to loopback addresses only.
 */
public final class LoadGenerator {
    /**
     * What Nchan sends to Redis itself; everything else in its windows runs inside its Lua scripts
     * (checked with MONITOR: Nchan 1.3.6 sends EVALSHA, and its scripts run the rest, ECHO included).
     */
    static final Set<String> NCHAN_CMDS = Set.of(
            "evalsha",
            "eval",
            "script|load",
            "script|exists",
            "subscribe",
            "psubscribe",
            "unsubscribe",
            "punsubscribe",
            "ping",
            "hello",
            "select",
            "auth",
            "client|setname",
            "client|setinfo");

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        Opts o = Opts.parse(args);
        RedisProbe redis = new RedisProbe(o);
        Target hub = new Target("hub", o.host, o.port, o.serverPid, o.publishKey, Target.HUB_CMDS, o.scriptCommands);
        Target nchan = o.peer.equals("nchan")
                ? new Target("nchan", o.host, o.peerPort, o.peerPid, "", NCHAN_CMDS, null)
                : null;
        List<Result> sides = new ArrayList<>();
        String title;
        if (o.scenario.equals("multiplex")) {
            Layout single = Layout.pages(o.pages, o.trips, false);
            Layout multi = Layout.pages(o.pages, o.trips, true);
            title = String.format(
                    Locale.ROOT,
                    "multiplexed pages, %d pages × %d topics over %d trips (%d topics), %.0f publishes/s for %d s",
                    o.pages,
                    Layout.PAGE_CHANNELS.length,
                    o.trips,
                    single.topics.length,
                    o.rate,
                    o.duration);
            sides.add(phase(o, hub, single, "hub, " + single.name, redis));
            sides.add(phase(o, hub, multi, "hub multiplexed, " + multi.name, redis));
            if (nchan != null) {
                sides.add(phase(o, nchan, multi, "nchan multiplexed, " + multi.name, redis));
            }
        } else {
            Layout layout = Layout.fanout(o.streams, o.topics);
            title = String.format(
                    Locale.ROOT,
                    "%d streams, %d topics, %.0f publishes/s for %d s",
                    o.streams,
                    o.topics,
                    o.rate,
                    o.duration);
            if (o.hub) {
                sides.add(phase(o, hub, layout, "hub, " + layout.name, redis));
            }
            if (nchan != null) {
                sides.add(phase(o, nchan, layout, "nchan, " + layout.name, redis));
            }
            if (o.baseline) {
                if (redis.resp == null) {
                    log("baseline skipped: no Redis");
                } else {
                    sides.add(BaselinePhase.run(o, layout, redis));
                }
            }
        }
        RedisDelta after = null;
        if (redis.resp != null) {
            log("background window %d s (everything stopped)", o.quiet);
            RedisSnap a0 = redis.snap();
            sleepMs(o.quiet * 1000L);
            after = RedisProbe.delta(a0, redis.snap(), null, Set.of());
        }
        String md = Report.render(o, title, sides, after);
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

    private static Result phase(Opts o, Target t, Layout l, String name, RedisProbe redis) throws Exception {
        Result r = StreamPhase.run(o, t, l, name, redis);
        sleepMs(500);
        return r;
    }
}
