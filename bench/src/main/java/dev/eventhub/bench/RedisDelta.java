package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
        if (scriptOnly == null) {
            // own are the commands the side sends; everything else it caused ran inside its scripts
            long sent = 0;
            for (String c : own) {
                sent += by.getOrDefault(c, 0L);
            }
            return new RedisDelta((b.t() - a.t()) / 1e9, total, total, sent, by, b.cpuSec() - a.cpuSec());
        }
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
        return byCmd.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .limit(n)
                .map(e -> e.getKey() + "=" + e.getValue())
                .reduce((x, y) -> x + " " + y)
                .orElse("-");
    }
}
