package dev.eventhub.store;

import dev.eventhub.topic.Topic;

/**
 * Told which topics this instance has readers for, so notifications come only for those: the
 * fan-out calls {@link #watch} when a topic gets its first local reader and {@link #unwatch} after
 * its last one leaves. Calls are cheap and may come in bursts; an implementation batches them.
 */
public interface TopicWatcher {

    TopicWatcher NONE = new TopicWatcher() {
        @Override
        public void watch(Topic topic) {}

        @Override
        public void unwatch(Topic topic) {}
    };

    void watch(Topic topic);

    void unwatch(Topic topic);
}
