package dev.eventhub.fanout;

import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topics read on this instance: one {@link TopicFeed} per topic with at least one subscriber
 * here, made by the first and dropped with the last. The {@link ReaderListener} hears both, in
 * the order they happen for each topic.
 */
final class FeedRegistry {

    private final ConcurrentHashMap<Topic, TopicFeed> feeds = new ConcurrentHashMap<>();
    private final int window;
    private final HubStats stats;
    private volatile ReaderListener listener = ReaderListener.NONE;

    FeedRegistry(int window, HubStats stats) {
        this.window = window;
        this.stats = stats;
    }

    void listener(ReaderListener listener) {
        this.listener = listener;
    }

    /**
     * Adds {@code subscriber} to its topic's feed (made if needed) and returns that feed;
     * {@code needsRead} is set when it must be read before the subscriber is served.
     */
    TopicFeed attach(Subscriber subscriber, Resume resume, boolean[] needsRead) {
        Topic topic = subscriber.topic();
        while (true) {
            TopicFeed feed = feeds.computeIfAbsent(topic, t -> {
                listener.firstReader(t);
                return new TopicFeed(t, window, stats);
            });
            if (feed.attach(subscriber, resume, needsRead)) {
                return feed;
            }
            // Closed by its last subscriber a moment ago: take a new one.
            remove(feed);
        }
    }

    void detach(Subscriber subscriber) {
        Topic topic = subscriber.topic();
        TopicFeed feed = feeds.get(topic);
        if (feed != null && feed.detach(subscriber) && remove(feed)) {
            Log.debugf("Topic %s has no subscriber here any more; its feed stopped", topic);
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
