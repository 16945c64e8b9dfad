package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

/** What one receiving thread saw. Merged after the threads stop. */
final class Recorder {
    final IntList latUs = new IntList();
    long distinct;
    long dups;
    long resyncs;
    long other;
    long epochChanges;
    long lastNs;
    final long[] perSecond = new long[4096];

    void delivered(long now, long sentNs, long base) {
        long us = (now - sentNs) / 1000;
        latUs.add((int) Math.max(0, Math.min(Integer.MAX_VALUE, us)));
        distinct++;
        lastNs = now;
        if (base != 0) {
            long s = (now - base) / 1_000_000_000L;
            if (s >= 0 && s < perSecond.length) {
                perSecond[(int) s]++;
            }
        }
    }

    void merge(Recorder o) {
        latUs.addAll(o.latUs);
        distinct += o.distinct;
        dups += o.dups;
        resyncs += o.resyncs;
        other += o.other;
        epochChanges += o.epochChanges;
        lastNs = Math.max(lastNs, o.lastNs);
        for (int i = 0; i < perSecond.length; i++) {
            perSecond[i] += o.perSecond[i];
        }
    }
}
