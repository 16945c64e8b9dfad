package dev.eventhub.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown table of one run: one column per side (the first is the reference, the hub), then one
 * ratio column per other side ({@code side / first}, from the same run), then notes and warnings.
 */
final class Report {
    private final Opts o;
    private final List<Result> sides;
    private final StringBuilder sb = new StringBuilder();

    private Report(Opts o, List<Result> sides) {
        this.o = o;
        this.sides = sides;
    }

    static String render(Opts o, String title, List<Result> sides, RedisDelta after) {
        return new Report(o, sides).table(title, after);
    }

    private String table(String title, RedisDelta after) {
        sb.append("### event-hub benchmark: ").append(title).append("\n\n");
        if (!o.label.isBlank()) {
            sb.append("Settings: ").append(o.label).append("  \n");
        }
        sb.append("Machine: ").append(MachineSnap.describe()).append("  \n");
        sb.append("Windows: background ")
                .append(o.quiet)
                .append(" s, warm-up ")
                .append(o.warmup)
                .append(" s, idle ")
                .append(o.idle)
                .append(" s, load ")
                .append(o.duration)
                .append(" s (+ drain: ")
                .append(o.drainMs)
                .append(" ms, longer while deliveries still arrive, at most ")
                .append(o.drainMaxMs)
                .append(" ms; per-publish figures include it), each side in turn.\n\n");
        Result ref = sides.get(0);
        sb.append("| metric |");
        for (Result r : sides) {
            sb.append(' ').append(r.name).append(" |");
        }
        for (Result r : sides.subList(1, sides.size())) {
            sb.append(' ')
                    .append(shortName(r))
                    .append(" / ")
                    .append(shortName(ref))
                    .append(" |");
        }
        sb.append('\n').append("|").append("---|".repeat(sides.size() * 2)).append('\n');

        row("events published (ok / failed)", r -> r.published + " / " + r.publishFailed, null);
        row("deliveries expected", r -> f(r.expected, 0), null);
        row("delivered/s (first publish → last delivery)", r -> f(r.deliveredPerSec, 0), r -> r.deliveredPerSec);
        row("peak deliveries in one second", r -> f(r.peakPerSec, 0), null);
        row("latency p50 / p90 / p99 / max (ms)", Report::lat, r -> r.pct(99));
        row(
                "publish answer p50 / p99 / max (ms)",
                r -> r.publishUs == null
                        ? "-"
                        : f(r.publishPct(50), 1) + " / " + f(r.publishPct(99), 1) + " / " + f(r.publishPct(100), 1),
                r -> r.publishUs == null ? Double.NaN : r.publishPct(99));
        row(
                "loss (expected − received)",
                r -> f(r.loss(), 0)
                        + (r.lostOnDeadStreams > 0
                                ? " (" + f(r.lostOnDeadStreams, 0) + " on streams never served)"
                                : ""),
                null);
        row("duplicates", r -> r.baseline() ? "0 (pollers keep the newest seq)" : f(r.dups, 0), null);
        row(
                "resyncs (whole run) / streams ended by server",
                r -> r.baseline() ? "-" : r.resyncs + " / " + r.closed,
                null);
        row(
                "server CPU % idle / load (of one core)",
                r -> r.baseline() ? "- (no server)" : f(r.serverCpuIdle, 1) + " / " + f(r.serverCpuLoad, 1),
                r -> r.serverCpuLoad);
        row(
                "**server CPU per 1,000 deliveries/s (% of a core)**",
                r -> f(r.cpuPerThousand(), 2), Result::cpuPerThousand);
        row(
                "server CPU per 1,000 deliveries/s above idle (load − idle)",
                r -> f(r.cpuPerThousandAboveIdle(), 2),
                Result::cpuPerThousandAboveIdle);
        row(
                "server RSS MB idle / end of load (peak)",
                r -> r.baseline() ? "-" : f(r.rssIdleMb, 0) + " / " + f(r.rssMb, 0) + " (" + f(r.hwmMb, 0) + ")",
                r -> r.rssMb);
        row(
                "Redis cmds/s idle (sent by the side)",
                r -> f(perSec(r.idle, RedisDelta::sent), 1),
                r -> perSec(r.idle, RedisDelta::sent));
        row(
                "Redis cmds/s under load (sent)",
                r -> f(perSec(r.load, RedisDelta::sent), 1),
                r -> perSec(r.load, RedisDelta::sent));
        row(
                "Redis cmds per publish (sent)",
                r -> f(perPublish(r, RedisDelta::sent), 2),
                r -> perPublish(r, RedisDelta::sent));
        row(
                "Redis cmds per publish, incl. inside Lua",
                r -> f(perPublish(r, RedisDelta::executed), 2),
                r -> perPublish(r, RedisDelta::executed));
        row(
                "whole Redis, all clients: cmds/s idle / load",
                r -> f(perSec(r.idle, RedisDelta::total), 1) + " / " + f(perSec(r.load, RedisDelta::total), 1),
                null);
        row(
                "Redis server CPU % idle / load",
                r -> f(r.idle == null ? Double.NaN : r.idle.cpuPercent(), 1) + " / "
                        + f(r.load == null ? Double.NaN : r.load.cpuPercent(), 1),
                r -> r.load == null ? Double.NaN : r.load.cpuPercent());
        row("load generator CPU % under load", r -> f(r.genCpuLoad, 0), null);
        row(
                "machine CPU % busy under load (rest: other processes, kernel)",
                r -> f(r.machineBusyLoad, 0) + " (" + f(others(r), 0) + ")", null);
        sb.append('\n');
        notes(after);
        return sb.toString();
    }

    private void notes(RedisDelta after) {
        Result ref = sides.get(0);
        double before = ref.quiet != null ? ref.quiet.totalPerSec() : Double.NaN;
        double afterRate = after == null ? Double.NaN : after.totalPerSec();
        sb.append(String.format(
                Locale.ROOT,
                "Background Redis traffic (no stream open, nothing publishing): %s cmds/s before, %s cmds/s after. "
                        + "Redis figures are deltas of INFO all (commandstats, total_commands_processed, used_cpu_*); "
                        + "\"sent\" counts the command types that side sends itself (hub: EVALSHA, EVAL, MGET, pub/sub "
                        + "and connection commands; Nchan: EVALSHA, SCRIPT and pub/sub and connection commands; "
                        + "baseline: LRANGE, LPUSH, LTRIM, EXPIRE); \"incl. inside Lua\" adds what their scripts run "
                        + "(for Nchan: every command in its windows). Redis CPU is the whole server's. Ratios are "
                        + "side / %s, from this run.\n",
                f(before, 1),
                f(afterRate, 1),
                shortName(ref)));
        if ((!Double.isNaN(before) && before > 0.5) || (!Double.isNaN(afterRate) && afterRate > 0.5)) {
            sb.append(
                    "**Warning: other clients were using this Redis: the whole-Redis rows and Redis CPU include them, "
                            + "and per-side rows may include their commands of the same types (REDIS=private gives the run a "
                            + "Redis of its own).**\n");
        }
        for (Result r : sides) {
            String foreign =
                    foreign(r.idle, r.ownCommands, r.scriptCommands) + foreign(r.load, r.ownCommands, r.scriptCommands);
            if (!foreign.isBlank()) {
                sb.append("**Warning: commands ")
                        .append(r.name)
                        .append(" does not send were counted in its windows (")
                        .append(foreign.trim())
                        .append("): another client used this Redis (REDIS=private avoids this).**\n");
            }
            if (others(r) > 30) {
                sb.append("**Warning: during the load window of ")
                        .append(r.name)
                        .append(", over 30% of a core was busy besides it, the load generator and Redis: latency and "
                                + "CPU figures may be affected.**\n");
            }
        }
        for (Result r : sides) {
            if (!r.measured) {
                continue;
            }
            sb.append("Busiest other processes during the load window of ")
                    .append(r.name)
                    .append(": ")
                    .append(r.othersLoad)
                    .append(".\n");
        }
        for (Result r : sides) {
            if (r.load != null) {
                sb.append("Redis commands under load, ")
                        .append(r.name)
                        .append(": ")
                        .append(r.load.top(8))
                        .append(".\n");
            }
        }
        for (Result r : sides) {
            if (!r.notes.isBlank()) {
                sb.append("Notes, ")
                        .append(r.name)
                        .append(": ")
                        .append(r.notes.trim())
                        .append('\n');
            }
        }
    }

    /** One row: a cell per side, then a ratio per other side when {@code ratioOf} is given. */
    private void row(String name, Function<Result, String> cell, ToDoubleFunction<Result> ratioOf) {
        sb.append("| ").append(name).append(" |");
        for (Result r : sides) {
            sb.append(' ').append(r.measured ? cell.apply(r) : "not measured").append(" |");
        }
        Result ref = sides.get(0);
        for (Result r : sides.subList(1, sides.size())) {
            String cellRatio = ratioOf == null
                    ? ""
                    : r.measured && ref.measured ? ratio(ratioOf.applyAsDouble(r), ratioOf.applyAsDouble(ref)) : "n/a";
            sb.append(' ').append(cellRatio).append(" |");
        }
        sb.append('\n');
    }

    private static String shortName(Result r) {
        int comma = r.name.indexOf(',');
        return comma > 0 ? r.name.substring(0, comma) : r.name;
    }

    private static double perSec(RedisDelta d, ToDoubleFunction<RedisDelta> what) {
        return d == null ? Double.NaN : what.applyAsDouble(d) / d.secs();
    }

    private static double perPublish(Result r, ToDoubleFunction<RedisDelta> what) {
        return r.loadAndDrain == null ? Double.NaN : what.applyAsDouble(r.loadAndDrain) / Math.max(1, r.published);
    }

    private static double others(Result r) {
        double server = Double.isNaN(r.serverCpuLoad) ? 0 : r.serverCpuLoad;
        return r.machineBusyLoad - server - r.genCpuLoad - (r.load == null ? 0 : r.load.cpuPercent());
    }

    static String f(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    static String ratio(double side, double ref) {
        if (Double.isNaN(side) || Double.isNaN(ref)) {
            return "n/a";
        }
        if (ref <= 0) {
            return side > 0 ? "∞ (" + f(side, 1) + " vs 0)" : "n/a (both 0)";
        }
        return String.format(Locale.ROOT, "%,.2f×", side / ref);
    }

    static String lat(Result r) {
        return f(r.pct(50), 1) + " / " + f(r.pct(90), 1) + " / " + f(r.pct(99), 1) + " / " + f(r.max(), 1);
    }

    /** Commands in a window that the side being measured never sends: traffic of another client. */
    static String foreign(RedisDelta d, Set<String> own, Set<String> inner) {
        if (d == null || own == null || inner == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Long> e : new TreeMap<>(d.byCmd()).entrySet()) {
            if (e.getValue() > 0
                    && !own.contains(e.getKey())
                    && !inner.contains(e.getKey())
                    && !e.getKey().equals("info")) {
                out.append(e.getKey()).append('=').append(e.getValue()).append(' ');
            }
        }
        return out.toString();
    }
}
