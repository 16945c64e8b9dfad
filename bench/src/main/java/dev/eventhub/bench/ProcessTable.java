package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** CPU ticks of every process, to name what else used the machine during a window. */
record ProcessTable(long t, Map<Long, Long> ticks, Map<Long, String> names) {
    static ProcessTable now() {
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
        return new ProcessTable(System.nanoTime(), ticks, names);
    }

    /** The busiest processes between this and {@code later}, excluding {@code skip}, as "name(pid) N%". */
    String top(ProcessTable later, Set<Long> skip, int clkTck, int n) {
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
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(later.names.get(used.get(i).getKey()))
                    .append('(')
                    .append(used.get(i).getKey())
                    .append(") ")
                    .append(String.format(Locale.ROOT, "%.0f%%", pct));
        }
        return sb.length() == 0 ? "none over 2%" : sb.toString();
    }
}
