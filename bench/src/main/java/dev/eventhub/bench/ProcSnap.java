package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU ticks and memory of a process and its children (nginx's workers) at one moment, from /proc. */
record ProcSnap(long t, long ticks, long rssKb, long hwmKb) {
    /** The process and its descendants, summed (a process alone when it has none). */
    static ProcSnap of(long pid) {
        ProcSnap sum = one(pid);
        if (pid <= 0 || sum.ticks() < 0) {
            return sum;
        }
        for (ProcessHandle child :
                ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            ProcSnap c = one(child.pid());
            if (c.ticks() >= 0) {
                sum = new ProcSnap(sum.t(), sum.ticks() + c.ticks(), sum.rssKb() + c.rssKb(), sum.hwmKb() + c.hwmKb());
            }
        }
        return sum;
    }

    static ProcSnap one(long pid) {
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
        return one(ProcessHandle.current().pid());
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
