package dev.eventhub.fanout;

import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topics read on this instance: one {@link TopicFeed} per topic with at least one subscriber
 * here, made by the first and dropped with the last. The {@link ReaderListener} hears both.
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
            boolean[] made = {false};
            TopicFeed feed = feeds.computeIfAbsent(topic, t -> {
                made[0] = true;
                return new TopicFeed(t, window, stats);
            });
            if (made[0]) {
                listener.firstReader(topic);
            }
            if (feed.attach(subscriber, resume, needsRead)) {
                return feed;
            }
            // Closed by its last subscriber a moment ago: take a new one.
            if (feeds.remove(topic, feed)) {
                listener.lastReaderLeft(topic);
            }
        }
    }

    void detach(Subscriber subscriber) {
        Topic topic = subscriber.topic();
        TopicFeed feed = feeds.get(topic);
        if (feed != null && feed.detach(subscriber) && feeds.remove(topic, feed)) {
            listener.lastReaderLeft(topic);
            Log.debugf("Topic %s has no subscriber here any more; its feed stopped", topic);
        }
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
