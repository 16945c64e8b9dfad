package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.util.Arrays;

/** A growable int array (latencies in microseconds). */
final class IntList {
    int[] a = new int[1 << 16];
    int n;

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[n++] = v;
    }

    void addAll(IntList o) {
        for (int i = 0; i < o.n; i++) {
            add(o.a[i]);
        }
    }
}
