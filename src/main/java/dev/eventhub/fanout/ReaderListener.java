package dev.eventhub.fanout;

import dev.eventhub.store.TopicWatcher;
import dev.eventhub.topic.Topic;

/**
 * Told when a topic gains its first reader on this instance and when its last reader leaves: the
 * seam for anything that follows the set of topics read here (e.g. subscribing a per-topic
 * notification channel). Called on the thread that opened or closed the stream, inside the feed
 * map's per-topic step: it must be quick, must not block and must not open or close streams.
 */
public interface ReaderListener {

    ReaderListener NONE = new ReaderListener() {
        @Override
        public void firstReader(Topic topic) {}

        @Override
        public void lastReaderLeft(Topic topic) {}
    };

    /** A store's {@link TopicWatcher} (the Redis notifier) told of the topics read here. */
    static ReaderListener watching(TopicWatcher watcher) {
        return new ReaderListener() {
            @Override
            public void firstReader(Topic topic) {
                watcher.watch(topic);
            }

            @Override
            public void lastReaderLeft(Topic topic) {
                watcher.unwatch(topic);
            }
        };
    }

    /** {@code topic} has its first stream here: its feed was just made. */
    void firstReader(Topic topic);

    /** {@code topic}'s last stream here ended: its feed is gone. */
    void lastReaderLeft(Topic topic);
}
