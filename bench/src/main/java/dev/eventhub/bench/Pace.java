package dev.eventhub.bench;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/** Waiting on a schedule, and the generator's log lines (stderr). */
final class Pace {
    private Pace() {}

    static void parkUntil(long deadlineNs) {
        long d;
        while ((d = deadlineNs - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(d, 50_000_000L));
        }
    }

    static void sleepMs(long ms) {
        parkUntil(System.nanoTime() + ms * 1_000_000L);
    }

    static void log(String fmt, Object... args) {
        System.err.printf(
                "[loadgen %s] %s%n", Instant.now().toString().substring(11, 23), String.format(Locale.ROOT, fmt, args));
    }
}
