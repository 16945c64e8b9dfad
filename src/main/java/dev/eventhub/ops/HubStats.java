package dev.eventhub.ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * The hub's counters, kept with plain adders on the hot path and exported to Prometheus by
 * {@link HubMetrics}. One instance per application.
 */
public final class HubStats {

    /** Events appended through this instance. */
    public final LongAdder published = new LongAdder();
    /** Event frames written to subscribers (replays included), one per subscriber per event. */
    public final LongAdder delivered = new LongAdder();
    /** Streams that asked to resume from an id. */
    /** Writes to streams' responses: several frames ready for a stream at once are one write. */
    public final LongAdder writes = new LongAdder();

    public final LongAdder resumes = new LongAdder();
    /** Resync messages sent. */
    public final LongAdder resyncs = new LongAdder();
    /** Streams ended because their reader fell a whole buffer behind. */
    public final LongAdder slowConsumerDisconnects = new LongAdder();
    /** Store calls that failed. */
    public final LongAdder storeErrors = new LongAdder();
    /** Polls of the heads (one round trip each) and their total time. */
    public final LongAdder headPolls = new LongAdder();

    public final LongAdder headPollNanos = new LongAdder();
    /** Read round trips (one topic, or one pipelined batch of topics) and their total time. */
    public final LongAdder logReads = new LongAdder();

    public final LongAdder logReadNanos = new LongAdder();
}
