package dev.eventhub.fanout;

import dev.eventhub.topic.Topic;

/**
 * Told when a topic gains its first reader on this instance and when its last reader leaves: the
 * seam for anything that follows the set of topics read here (e.g. subscribing a per-topic
 * notification channel). Called on the thread that opened or closed the stream; it must not block.
 */
public interface ReaderListener {

    ReaderListener NONE = new ReaderListener() {
        @Override
        public void firstReader(Topic topic) {}

        @Override
        public void lastReaderLeft(Topic topic) {}
    };

    /** {@code topic} has its first stream here: its feed was just made. */
    void firstReader(Topic topic);

    /** {@code topic}'s last stream here ended: its feed is gone. */
    void lastReaderLeft(Topic topic);
}
