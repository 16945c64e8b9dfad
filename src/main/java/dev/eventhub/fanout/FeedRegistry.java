package dev.eventhub.fanout;

import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topics read on this instance: one {@link TopicFeed} per topic with at least one subscriber
 * here, made by the first and dropped with the last. The {@link ReaderListener} hears both, in
 * the order they happen for each topic.
 *
 * <p>Whether a feed is empty is decided by its membership count, atomically, on the thread that
 * attaches or detaches (the feed's own state changes on its context, after): the subscriber that
 * takes the count from one to none closes the feed for good and drops it from the map at once; an
 * attach that finds a closed feed still in the map drops it and makes a new one. Both drops and
 * every make happen inside the map's atomic step for the topic, and the listener is told there.
 */
final class FeedRegistry {

    private final ConcurrentHashMap<Topic, TopicFeed> feeds = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final int window;
    private final HubStats stats;
    private final TopicFeed.Reads reads;
    private volatile ReaderListener listener = ReaderListener.NONE;

    FeedRegistry(Vertx vertx, int window, HubStats stats, TopicFeed.Reads reads) {
        this.vertx = vertx;
        this.window = window;
        this.stats = stats;
        this.reads = reads;
    }

    void listener(ReaderListener listener) {
        this.listener = listener;
    }

    /**
     * Adds {@code subscriber} to its topic's feed (made if needed): it counts in at once, and is
     * served on the feed's context (from the last read, or after the read that it starts).
     */
    void attach(Subscriber subscriber, Resume resume) {
        Topic topic = subscriber.topic();
        while (true) {
            TopicFeed feed = feeds.computeIfAbsent(topic, t -> {
                listener.firstReader(t);
                return new TopicFeed(t, window, stats, contextForNewFeed(), reads);
            });
            if (feed.join()) {
                subscriber.joined(feed);
                feed.execute(() -> feed.attach(subscriber, resume));
                return;
            }
            // Closed by its last subscriber a moment ago: take a new one.
            remove(feed);
        }
    }

    /**
     * The context a new feed belongs to: the event loop of the stream that makes it (its writes
     * and the feed's work then share one thread, and its attach runs at once), else (a stream
     * opened off any event loop, or on a worker) a new context on the next event loop, round-robin.
     */
    private Context contextForNewFeed() {
        Context current = Vertx.currentContext();
        if (current != null && current.isEventLoopContext() && current.owner() == vertx) {
            return current;
        }
        return ((VertxInternal) vertx).createEventLoopContext();
    }

    /** Removes {@code subscriber} from its feed (nothing if it was never attached or already left). */
    void detach(Subscriber subscriber) {
        TopicFeed feed = subscriber.left();
        if (feed == null) {
            return;
        }
        feed.execute(() -> feed.detach(subscriber));
        if (feed.leave() && remove(feed)) {
            Log.debugf("Topic %s has no subscriber here any more; its feed stopped", feed.topic());
        }
    }

    /**
     * Drops a closed feed. The listener is told inside the map's atomic step for the topic, as it
     * is of a new feed, so it hears first/last in the order the map changed: a feed dropped on one
     * thread while another makes the next one never ends with the topic unwatched.
     */
    private boolean remove(TopicFeed feed) {
        boolean[] removed = {false};
        feeds.computeIfPresent(feed.topic(), (topic, current) -> {
            if (current != feed) {
                return current;
            }
            listener.lastReaderLeft(topic);
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    TopicFeed feed(Topic topic) {
        return feeds.get(topic);
    }

    Collection<TopicFeed> feeds() {
        return feeds.values();
    }

    int size() {
        return feeds.size();
    }
}
