package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.store.EventStore;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's side of every stream: one {@link TopicFeed} per topic with local subscribers,
 * one timer that polls the heads of all of them in one store round trip per interval, and one
 * timer for heartbeats. The store's load grows with active topics and events, never with the
 * number of open connections; a topic with no subscriber here costs nothing.
 */
public final class Fanout {

    private final EventStore store;
    private final Vertx vertx;
    private final Settings settings;
    private final ConcurrentHashMap<Topic, TopicFeed> feeds = new ConcurrentHashMap<>();
    private final Set<Subscriber> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean storeFailing = new AtomicBoolean();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private long pollTimer = -1;
    private long heartbeatTimer = -1;

    /**
     * @param pollInterval how often the heads of active topics are read
     * @param heartbeat how often every stream gets a comment line
     * @param retry the reconnection delay sent in {@code retry:}
     * @param bufferSize frames queued per connection before a slow reader is disconnected
     * @param window events kept per active topic for replay (the store's retention)
     */
    public record Settings(Duration pollInterval, Duration heartbeat, Duration retry, int bufferSize, int window) {
    }

    public Fanout(EventStore store, Vertx vertx, Settings settings) {
        this.store = store;
        this.vertx = vertx;
        this.settings = settings;
    }

    public void start() {
        pollTimer = vertx.setPeriodic(settings.pollInterval().toMillis(), id -> tick());
        heartbeatTimer = vertx.setPeriodic(settings.heartbeat().toMillis(), id -> heartbeat());
    }

    /** Stops polling and ends every open stream; browsers reconnect (elsewhere) and resume. */
    public void stop() {
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
        return Multi.createFrom().<Frame>emitter(emitter -> {
            Subscriber subscriber = new Subscriber(topic, emitter);
            emitter.onTermination(() -> detach(subscriber));
            connections.add(subscriber);
            emitter.emit(Frame.open(settings.retry().toMillis()));
            attach(subscriber, resume);
            if (emitter.isCancelled()) {
                detach(subscriber);
            }
            Log.debugf("Opened %s (%d open)", subscriber, connections.size());
        }).onOverflow().buffer(settings.bufferSize())
                // A reader that fell a whole buffer behind is ended (not failed): its browser
                // reconnects and resumes from its last id, and its backlog is dropped at once.
                .onFailure(BackPressureFailure.class).invoke(() -> Log.infof(
                        "Closed a stream on %s: its reader fell %d frames behind", topic, settings.bufferSize()))
                .onFailure(BackPressureFailure.class).recoverWithCompletion();
    }

    /** Reads {@code topic} now if it has subscribers here: an event was published to it. */
    public void wake(Topic topic) {
        TopicFeed feed = feeds.get(topic);
        if (feed != null) {
            read(feed);
        }
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
            feed = feeds.computeIfAbsent(subscriber.topic(), t -> new TopicFeed(t, settings.window()));
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
        TopicFeed feed = feeds.get(subscriber.topic());
        if (feed != null && feed.detach(subscriber)) {
            feeds.remove(subscriber.topic(), feed);
            Log.debugf("Topic %s has no subscriber here any more; its feed stopped", subscriber.topic());
        }
        Log.debugf("Closed %s (%d open)", subscriber, connections.size());
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
            return;
        }
        List<Topic> topics = due.stream().map(TopicFeed::topic).toList();
        store.heads(topics).subscribe().with(heads -> {
            ticking.set(false);
            storeAnswered();
            for (int i = 0; i < heads.size(); i++) {
                TopicFeed feed = due.get(i);
                EventId known = feed.head();
                if (!heads.get(i).equals(known)) {
                    read(feed);
                }
            }
        }, failure -> {
            ticking.set(false);
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
        store.readAfter(feed.topic(), feed.head()).subscribe().with(slice -> {
            storeAnswered();
            feed.apply(slice);
            if (feed.endRead()) {
                readClaimed(feed);
            }
        }, failure -> {
            storeFailed(failure);
            feed.endRead();
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
        if (storeFailing.compareAndSet(false, true)) {
            Log.warnf("Store %s is failing (%s); open streams keep their heartbeats and polling retries every %s",
                    store.describe(), failure.getMessage(), settings.pollInterval());
        }
    }
}
