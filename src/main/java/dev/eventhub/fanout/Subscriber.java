package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One topic of one open stream, as its topic's feed sees it: frames it is given go to its
 * {@link Connection} under its slot. A multiplexed stream has one subscriber per topic.
 */
final class Subscriber {

    private final Topic topic;
    private final Connection connection;
    private final int slot;
    /** The feed this subscriber joined, until it leaves it. */
    private final AtomicReference<TopicFeed> feed = new AtomicReference<>();

    /** A one-topic stream of its own, written at once (tests). */
    Subscriber(Topic topic, MultiEmitter<? super Frame> emitter, HubStats stats) {
        this(topic, new Connection(List.of(topic), null, stats, null, null, Connection.Limits.NONE), 0);
        connection.bind(emitter);
    }

    Subscriber(Topic topic, Connection connection, int slot) {
        this.topic = topic;
        this.connection = connection;
        this.slot = slot;
    }

    Topic topic() {
        return topic;
    }

    Connection connection() {
        return connection;
    }

    int slot() {
        return slot;
    }

    /** It was counted into {@code joined}'s members. */
    void joined(TopicFeed joined) {
        feed.set(joined);
    }

    /** The feed it joined, once: null when it never joined or already left. */
    TopicFeed left() {
        return feed.getAndSet(null);
    }

    void send(Frame frame) {
        connection.deliver(slot, frame);
    }

    /** Ends this subscriber's whole stream. */
    void end() {
        connection.end();
    }

    @Override
    public String toString() {
        return connection + " (" + topic + ")";
    }
}
