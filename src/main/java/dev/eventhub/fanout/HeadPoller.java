package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The safety net: every poll interval ONE read of the heads of every active topic; each feed whose
 * head moved is told so on its own context and reads itself ({@link TopicFeed#polled}); the reads
 * of the feeds told in one poll go out together ({@link StoreReads}). The store's load grows with
 * active topics and events, never with the number of open connections.
 */
final class HeadPoller {

    private final StoreReads reads;
    private final Vertx vertx;
    private final FeedRegistry registry;
    private final HubStats stats;
    private final Duration baseInterval;
    private final Duration maxInterval;

    private final AtomicBoolean ticking = new AtomicBoolean();
    /** Set by anything that suggests events are flowing; snaps polling back to the base interval. */
    private final AtomicBoolean activity = new AtomicBoolean();

    private volatile BooleanSupplier notificationsActive = () -> false;
    private volatile long currentIntervalMillis;
    private volatile boolean stopped;
    private long pollTimer = -1;

    HeadPoller(
            StoreReads reads,
            Vertx vertx,
            FeedRegistry registry,
            HubStats stats,
            Duration baseInterval,
            Duration maxInterval) {
        this.reads = reads;
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

    /**
     * One poll: the heads of every loaded feed with no read out, in one round trip; each whose head
     * moved is told on its context (it reads unless it already has). A feed whose first read failed
     * is told to read again each tick.
     */
    void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return; // the previous tick's round trip has not come back: do not pile up
        }
        List<TopicFeed> due = new ArrayList<>();
        for (TopicFeed feed : registry.feeds()) {
            if (!feed.loaded()) {
                feed.execute(feed::read); // its first read failed: retry each tick
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
        reads.store()
                .heads(topics)
                .subscribe()
                .with(
                        heads -> {
                            stats.headPolls.increment();
                            stats.headPollNanos.add(System.nanoTime() - started);
                            ticking.set(false);
                            reads.answered();
                            boolean moved = false;
                            for (int i = 0; i < heads.size(); i++) {
                                TopicFeed feed = due.get(i);
                                EventId head = heads.get(i);
                                if (!head.equals(feed.head())) {
                                    moved = true;
                                    feed.execute(() -> feed.polled(head));
                                }
                            }
                            adapt(moved);
                        },
                        failure -> {
                            ticking.set(false);
                            currentIntervalMillis = baseInterval.toMillis();
                            reads.failed(failure);
                        });
    }
}
