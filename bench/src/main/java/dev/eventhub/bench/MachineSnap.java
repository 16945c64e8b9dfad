package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The whole machine's CPU from /proc/stat, to see how much else ran during a window. */
record MachineSnap(long busy, long total) {
    static MachineSnap now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new MachineSnap(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new MachineSnap(-1, -1);
        }
    }

    /** Busy % of one core over the interval (200% = both cores busy on a 2-core machine). */
    double busyPercent(MachineSnap later) {
        if (busy < 0 || later.total == total) {
            return Double.NaN;
        }
        return 100.0 * Runtime.getRuntime().availableProcessors() * (later.busy - busy) / (later.total - total);
    }

    /** "2 cpus, 24 GiB RAM, Java 17...". */
    static String describe() {
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
}
