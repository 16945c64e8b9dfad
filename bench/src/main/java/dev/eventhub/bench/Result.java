package dev.eventhub.bench;

import static dev.eventhub.bench.Bytes.*;
import static dev.eventhub.bench.Pace.*;

import java.util.Arrays;
import java.util.Set;

/** What one side (hub, peer or baseline) measured in its phase. */
final class Result {
    /** Column heading, e.g. "hub, 5000 one-topic streams". */
    String name;

    int streams;
    long published;
    long publishFailed;
    double publishSecs;
    long expected;
    long received;
    long dups;
    long lostOnDeadStreams;
    long resyncs;
    long closed;
    long epochChanges;
    double deliveredPerSec;
    long peakPerSec;
    int[] lat;
    RedisDelta quiet;
    RedisDelta idle;
    RedisDelta load;
    RedisDelta loadAndDrain;
    double serverCpuIdle = Double.NaN;
    double serverCpuLoad = Double.NaN;
    /** Publish answer times in microseconds, sorted. */
    int[] publishUs;

    double rssIdleMb = Double.NaN;
    double rssMb = Double.NaN;
    double hwmMb = Double.NaN;
    double genCpuLoad = Double.NaN;
    double machineBusyLoad = Double.NaN;
    String othersLoad = "";
    RedisDelta after;
    double scale = 1;
    /** How long the drain after the load window took (s). */
    double drainSecs = Double.NaN;

    String notes = "";
    /** False when no stream of the phase went live: the table says "not measured". */
    boolean measured = true;
    /** The command types this side sends and those it runs only in scripts (for the report's warnings). */
    Set<String> ownCommands;

    Set<String> scriptCommands;

    boolean baseline() {
        return name.startsWith("baseline");
    }

    double max() {
        return lat == null || lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1000.0;
    }

    long loss() {
        return expected - received;
    }

    double publishPct(double p) {
        return pct(publishUs, p);
    }

    double pct(double p) {
        return pct(lat, p);
    }

    private static double pct(int[] us, double p) {
        if (us == null || us.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * us.length) - 1;
        return us[Math.max(0, Math.min(us.length - 1, i))] / 1000.0;
    }

    /** As {@link #cpuPerThousand}, without what the server spends idle with the same streams open. */
    double cpuPerThousandAboveIdle() {
        return deliveredPerSec > 0 ? (serverCpuLoad - serverCpuIdle) / (deliveredPerSec / 1000.0) : Double.NaN;
    }

    /** Server CPU (% of one core) per 1,000 deliveries/s under load. */
    double cpuPerThousand() {
        return deliveredPerSec > 0 ? serverCpuLoad / (deliveredPerSec / 1000.0) : Double.NaN;
    }

    Result fill(Recorder rec, long expected, long firstPublishNs) {
        rec.latUs.a = Arrays.copyOf(rec.latUs.a, rec.latUs.n);
        Arrays.sort(rec.latUs.a);
        this.lat = rec.latUs.a;
        this.received = rec.distinct;
        this.dups = rec.dups;
        this.resyncs = rec.resyncs;
        this.epochChanges = rec.epochChanges;
        this.expected = expected;
        double span = (rec.lastNs - firstPublishNs) / 1e9;
        this.deliveredPerSec = rec.distinct > 0 && span > 0 ? rec.distinct / span : 0;
        long peak = 0;
        for (long v : rec.perSecond) {
            peak = Math.max(peak, v);
        }
        this.peakPerSec = peak;
        return this;
    }
}
