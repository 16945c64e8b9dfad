package dev.eventhub.ops;

import java.time.Duration;

/**
 * What operations read from the fan-out: implemented by {@code fanout.Fanout}, so this package
 * depends on nothing of the fan-out (and the fan-out only on {@link HubStats} here).
 */
public interface StreamGauges {

    /** Open streams on this instance; a stream of several topics counts once. */
    int openStreams();

    /** Topics with at least one stream on this instance. */
    int activeTopics();

    /** The current safety-net poll interval. */
    Duration currentPollInterval();

    /** Whether this instance is shutting down and takes no new streams. */
    boolean draining();
}
