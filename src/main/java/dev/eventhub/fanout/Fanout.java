package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.AppendListener;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.LogSlice;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * This instance's side of every stream: one {@link TopicFeed} per topic with local subscribers,
 * one timer that polls the heads of all of them in one store round trip per interval, and one
 * timer for heartbeats. The store's load grows with active topics and events, never with the
 * number of open connections; a topic with no subscriber here costs nothing.
 */
public final class Fanout implements AppendListener {

    private final EventStore store;
    private final Vertx vertx;
    private final Settings settings;
    private final HubStats stats;
    private volatile boolean draining;
    private final ConcurrentHashMap<Topic, TopicFeed> feeds = new ConcurrentHashMap<>();
    private final Set<Subscriber> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean storeFailing = new AtomicBoolean();
    private final AtomicBoolean ticking = new AtomicBoolean();
    /** Set by anything that suggests events are flowing; snaps polling back to the base interval. */
    private final AtomicBoolean activity = new AtomicBoolean();

    private volatile BooleanSupplier notificationsActive = () -> false;
    private volatile long currentIntervalMillis;
    private volatile boolean stopped;
    private long pollTimer = -1;
    private long heartbeatTimer = -1;

    /**
     * @param pollInterval how often the heads of active topics are read while events flow
     * @param pollMaxInterval the longest the interval grows to while no head moves and
     *        notifications are arriving (they deliver; polling is only the safety net)
     * @param heartbeat how often every stream gets a comment line
     * @param retry the reconnection delay sent in {@code retry:}
     * @param bufferSize frames queued per connection before a slow reader is disconnected
     * @param window events kept per active topic for replay (the store's retention)
     * @param maxLifetime streams end after about this long (minus up to 10% jitter) with a
     *        {@code retry:} hint, so platforms with request timeouts never cut them mid-event;
     *        zero for no limit
     */
    public record Settings(
            Duration pollInterval,
            Duration pollMaxInterval,
            Duration heartbeat,
            Duration retry,
            int bufferSize,
            int window,
            Duration maxLifetime) {}

    /** Share of a lifetime or a retry hint that is randomised, so reconnections spread out. */
    static final double JITTER = 0.1;

    public Fanout(EventStore store, Vertx vertx, Settings settings, HubStats stats) {
        this.store = store;
        this.vertx = vertx;
        this.settings = settings;
        this.stats = stats;
    }

    public void start() {
        currentIntervalMillis = settings.pollInterval().toMillis();
        schedulePoll();
        heartbeatTimer = vertx.setPeriodic(settings.heartbeat().toMillis(), id -> heartbeat());
    }

    /** Tells the fan-out whether store notifications arrive, which lets quiet polling slow down. */
    public void notificationsActive(BooleanSupplier active) {
        this.notificationsActive = active;
    }

    /** Polls at once and returns to the base interval (e.g. notifications just (re)connected). */
    public void pollNow() {
        activity.set(true);
        vertx.runOnContext(v -> tick());
    }

    /** The current polling interval, for metrics and tests. */
    public Duration currentPollInterval() {
        return Duration.ofMillis(currentIntervalMillis);
    }

    /** Stops polling and ends every open stream; browsers reconnect (elsewhere) and resume. */
    public void stop() {
        stopped = true;
        vertx.cancelTimer(pollTimer);
        vertx.cancelTimer(heartbeatTimer);
        new ArrayList<>(feeds.values()).forEach(TopicFeed::endAll);
    }

    /**
     * A stream of frames for {@code topic}: first {@code retry:}, then the replay or resync that
     * {@code lastEventId} calls for (or the current position when it is null), then live events.
     * Cancelling the stream removes the subscriber at once.
     */
    public Multi<Frame> subscribe(Topic topic, String lastEventId) {
        Resume resume = Resume.from(lastEventId);
        if (!resume.live()) {
            stats.resumes.increment();
        }
        return Multi.createFrom()
                .<Frame>emitter(emitter -> {
                    Subscriber subscriber =
                            new Subscriber(topic, emitter, stats, Vertx.currentContext(), settings.bufferSize());
                    emitter.onTermination(() -> detach(subscriber));
                    connections.add(subscriber);
                    emitter.emit(Frame.open(settings.retry().toMillis()));
                    activity.set(true);
                    limitLifetime(subscriber);
                    attach(subscriber, resume);
                    if (emitter.isCancelled()) {
                        detach(subscriber);
                    }
                    Log.debugf("Opened %s (%d open)", subscriber, connections.size());
                })
                .onOverflow()
                .buffer(settings.bufferSize())
                // A reader that fell a whole buffer behind is ended (not failed): its browser
                // reconnects and resumes from its last id, and its backlog is dropped at once.
                .onFailure(BackPressureFailure.class)
                .invoke(() -> {
                    stats.slowConsumerDisconnects.increment();
                    Log.infof("Closed a stream on %s: its reader fell %d frames behind", topic, settings.bufferSize());
                })
                .onFailure(BackPressureFailure.class)
                .recoverWithCompletion();
    }

    /** An event was appended: dispatch it directly when it is the next one, else read the topic now. */
    @Override
    public void appended(Topic topic, EventId id, String json) {
        TopicFeed feed = feeds.get(topic);
        if (feed != null) {
            activity.set(true);
            if (feed.offer(id, json)) {
                read(feed);
            }
        }
    }

    /** Whether this instance is shutting down: it takes no new streams. */
    public boolean draining() {
        return draining;
    }

    /**
     * Starts a graceful shutdown: no new streams, and every open stream ends at a random moment
     * within {@code window}, each with a {@code retry:} hint, so their browsers reconnect (to other
     * instances) spread out rather than all at once. Completes when every stream has ended or the
     * window is over.
     */
    public CompletableFuture<Void> drain(Duration window) {
        draining = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        long windowMillis = Math.max(1, window.toMillis());
        for (Subscriber subscriber : connections) {
            long at = 1 + ThreadLocalRandom.current().nextLong(windowMillis);
            vertx.setTimer(at, id -> endWithRetry(subscriber));
        }
        long deadline = System.nanoTime() + window.toNanos();
        vertx.setPeriodic(20, id -> {
            if (connections.isEmpty() || System.nanoTime() > deadline) {
                vertx.cancelTimer(id);
                done.complete(null);
            }
        });
        Log.infof("Draining %d streams over %s", connections.size(), window);
        return done;
    }

    private void limitLifetime(Subscriber subscriber) {
        long lifetime = settings.maxLifetime().toMillis();
        if (lifetime > 0) {
            long jittered = lifetime
                    - (long) (lifetime * JITTER * ThreadLocalRandom.current().nextDouble());
            subscriber.lifetimeTimer(vertx.setTimer(Math.max(1, jittered), id -> {
                Log.debugf("%s reached its lifetime; the browser will resume", subscriber);
                endWithRetry(subscriber);
            }));
        }
    }

    /** Ends a stream after a {@code retry:} hint of the base delay plus up to 10% jitter. */
    private void endWithRetry(Subscriber subscriber) {
        long base = settings.retry().toMillis();
        subscriber.send(Frame.open(
                base + (long) (base * JITTER * ThreadLocalRandom.current().nextDouble())));
        subscriber.end();
    }

    public int openStreams() {
        return connections.size();
    }

    public int activeTopics() {
        return feeds.size();
    }

    /** Subscribers of {@code topic} on this instance that are live (past their replay). */
    public int liveSubscribers(Topic topic) {
        TopicFeed feed = feeds.get(topic);
        return feed == null ? 0 : feed.subscriberCount();
    }

    private void attach(Subscriber subscriber, Resume resume) {
        boolean[] needsRead = {false};
        TopicFeed feed;
        do {
            feed = feeds.computeIfAbsent(subscriber.topic(), t -> new TopicFeed(t, settings.window(), stats));
            if (!feed.attach(subscriber, resume, needsRead)) {
                feeds.remove(subscriber.topic(), feed); // closed by its last subscriber a moment ago
                feed = null;
            }
        } while (feed == null);
        if (needsRead[0]) {
            read(feed);
        }
    }

    private void detach(Subscriber subscriber) {
        if (!connections.remove(subscriber)) {
            return;
        }
        if (subscriber.lifetimeTimer() >= 0) {
            vertx.cancelTimer(subscriber.lifetimeTimer());
        }
        TopicFeed feed = feeds.get(subscriber.topic());
        if (feed != null && feed.detach(subscriber)) {
            feeds.remove(subscriber.topic(), feed);
            Log.debugf("Topic %s has no subscriber here any more; its feed stopped", subscriber.topic());
        }
        Log.debugf("Closed %s (%d open)", subscriber, connections.size());
    }

    private void schedulePoll() {
        if (!stopped) {
            pollTimer = vertx.setTimer(currentIntervalMillis, id -> {
                tick();
                schedulePoll();
            });
        }
    }

    /**
     * Adapts the interval after a poll: back to the base interval on any sign of activity, else
     * doubled up to the maximum, but only while notifications arrive (they are what delivers then).
     */
    private void adapt(boolean moved) {
        long base = settings.pollInterval().toMillis();
        boolean active = activity.getAndSet(false) || moved;
        if (active || !notificationsActive.getAsBoolean()) {
            currentIntervalMillis = base;
        } else {
            currentIntervalMillis = Math.min(
                    currentIntervalMillis * 2,
                    Math.max(base, settings.pollMaxInterval().toMillis()));
        }
    }

    /** One poll: the heads of every loaded, idle feed in one round trip, then a read per moved head. */
    void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return; // the previous tick's round trip has not come back: do not pile up
        }
        List<TopicFeed> due = new ArrayList<>();
        for (TopicFeed feed : feeds.values()) {
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
                            currentIntervalMillis = settings.pollInterval().toMillis();
                            storeFailed(failure);
                        });
    }

    private void read(TopicFeed feed) {
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
                            feed.abortRead(); // the next poll reads it again; a wake that came meanwhile is covered
                            // by it
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

    private void heartbeat() {
        Frame frame = Frame.heartbeat();
        for (Subscriber subscriber : connections) {
            subscriber.send(frame);
        }
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
                    store.describe(), failure.getMessage(), settings.pollInterval());
        }
    }
}
