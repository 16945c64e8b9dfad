package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.LogSlice;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The safety net and the reader: every poll interval ONE read of the heads of every active topic,
 * then ONE pipelined read of the topics whose head moved; and the reads a feed asks for (a gap in
 * the notifications, a subscriber to load). The store's load grows with active topics and events,
 * never with the number of open connections.
 */
final class HeadPoller {

    private final EventStore store;
    private final Vertx vertx;
    private final FeedRegistry registry;
    private final HubStats stats;
    private final Duration baseInterval;
    private final Duration maxInterval;

    private final AtomicBoolean storeFailing = new AtomicBoolean();
    private final AtomicBoolean ticking = new AtomicBoolean();
    /** Set by anything that suggests events are flowing; snaps polling back to the base interval. */
    private final AtomicBoolean activity = new AtomicBoolean();

    private volatile BooleanSupplier notificationsActive = () -> false;
    private volatile long currentIntervalMillis;
    private volatile boolean stopped;
    private long pollTimer = -1;

    HeadPoller(
            EventStore store,
            Vertx vertx,
            FeedRegistry registry,
            HubStats stats,
            Duration baseInterval,
            Duration maxInterval) {
        this.store = store;
        this.vertx = vertx;
        this.registry = registry;
        this.stats = stats;
        this.baseInterval = baseInterval;
        this.maxInterval = maxInterval;
        this.currentIntervalMillis = baseInterval.toMillis();
    }

    void start() {
        currentIntervalMillis = baseInterval.toMillis();
        schedule();
    }

    void stop() {
        stopped = true;
        vertx.cancelTimer(pollTimer);
    }

    void notificationsActive(BooleanSupplier active) {
        this.notificationsActive = active;
    }

    /** Something suggests events are flowing: the next poll comes at the base interval. */
    void activity() {
        activity.set(true);
    }

    void pollNow() {
        activity.set(true);
        vertx.runOnContext(v -> tick());
    }

    Duration currentInterval() {
        return Duration.ofMillis(currentIntervalMillis);
    }

    private void schedule() {
        if (!stopped) {
            pollTimer = vertx.setTimer(currentIntervalMillis, id -> {
                tick();
                schedule();
            });
        }
    }

    /**
     * Adapts the interval after a poll: back to the base interval on any sign of activity, else
     * doubled up to the maximum, but only while notifications arrive (they are what delivers then).
     */
    private void adapt(boolean moved) {
        long base = baseInterval.toMillis();
        boolean active = activity.getAndSet(false) || moved;
        if (active || !notificationsActive.getAsBoolean()) {
            currentIntervalMillis = base;
        } else {
            currentIntervalMillis = Math.min(currentIntervalMillis * 2, Math.max(base, maxInterval.toMillis()));
        }
    }

    /** One poll: the heads of every loaded, idle feed in one round trip, then a read per moved head. */
    void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return; // the previous tick's round trip has not come back: do not pile up
        }
        List<TopicFeed> due = new ArrayList<>();
        for (TopicFeed feed : registry.feeds()) {
            if (!feed.loaded()) {
                read(feed); // its first read failed: retry each tick
            } else if (!feed.isReading()) {
                due.add(feed);
            }
        }
        if (due.isEmpty()) {
            ticking.set(false);
            adapt(false);
            return;
        }
        List<Topic> topics = due.stream().map(TopicFeed::topic).toList();
        long started = System.nanoTime();
        store.heads(topics)
                .subscribe()
                .with(
                        heads -> {
                            stats.headPolls.increment();
                            stats.headPollNanos.add(System.nanoTime() - started);
                            ticking.set(false);
                            storeAnswered();
                            List<TopicFeed> moved = new ArrayList<>();
                            for (int i = 0; i < heads.size(); i++) {
                                TopicFeed feed = due.get(i);
                                if (!heads.get(i).equals(feed.head()) && feed.beginRead()) {
                                    moved.add(feed);
                                }
                            }
                            adapt(!moved.isEmpty());
                            readBatch(moved);
                        },
                        failure -> {
                            ticking.set(false);
                            currentIntervalMillis = baseInterval.toMillis();
                            storeFailed(failure);
                        });
    }

    /** Reads {@code feed} now, or once more after the read it has running. */
    void read(TopicFeed feed) {
        if (feed.beginRead()) {
            readClaimed(feed);
        }
    }

    /** Reads with the feed's read already claimed; reads once more if a wake came meanwhile. */
    private void readClaimed(TopicFeed feed) {
        long started = System.nanoTime();
        store.readAfter(feed.topic(), feed.head())
                .subscribe()
                .with(
                        slice -> {
                            stats.logReads.increment();
                            stats.logReadNanos.add(System.nanoTime() - started);
                            storeAnswered();
                            applied(feed, slice);
                        },
                        failure -> {
                            storeFailed(failure);
                            // The next poll reads it again; a wake that came meanwhile is covered by it.
                            feed.abortRead();
                        });
    }

    /** Applies a read to its feed; rolls the topic's epoch over first when the store went back. */
    private void applied(TopicFeed feed, LogSlice slice) {
        EventId rolledBack = feed.apply(slice);
        if (rolledBack != null) {
            store.restartEpoch(feed.topic(), rolledBack)
                    .subscribe()
                    .with(
                            head -> {
                                feed.continueRead();
                                readClaimed(feed);
                            },
                            failure -> {
                                storeFailed(failure);
                                feed.abortRead(); // the next poll finds the head behind again
                            });
        } else if (feed.endRead()) {
            readClaimed(feed);
        }
    }

    /**
     * Reads every feed whose head moved in one round trip (a pipelined batch), so a poll costs two
     * round trips however many topics changed, and a burst cannot exhaust the connection pool.
     * Each feed's read is already claimed.
     */
    private void readBatch(List<TopicFeed> feeds) {
        if (feeds.isEmpty()) {
            return;
        }
        if (feeds.size() == 1) {
            readClaimed(feeds.get(0));
            return;
        }
        List<Topic> topics = new ArrayList<>(feeds.size());
        List<EventId> afters = new ArrayList<>(feeds.size());
        for (TopicFeed feed : feeds) {
            topics.add(feed.topic());
            afters.add(feed.head());
        }
        long started = System.nanoTime();
        store.readAfter(topics, afters)
                .subscribe()
                .with(
                        slices -> {
                            stats.logReads.increment();
                            stats.logReadNanos.add(System.nanoTime() - started);
                            storeAnswered();
                            for (int i = 0; i < feeds.size(); i++) {
                                applied(feeds.get(i), slices.get(i));
                            }
                        },
                        failure -> {
                            storeFailed(failure);
                            feeds.forEach(TopicFeed::abortRead);
                        });
    }

    private void storeAnswered() {
        if (storeFailing.compareAndSet(true, false)) {
            Log.infof("Store %s answers again; pollers resume from their last position", store.describe());
        }
    }

    private void storeFailed(Throwable failure) {
        stats.storeErrors.increment();
        if (storeFailing.compareAndSet(false, true)) {
            Log.warnf(
                    "Store %s is failing (%s); open streams keep their heartbeats and polling retries every %s",
                    store.describe(), failure.getMessage(), baseInterval);
        }
    }
}
