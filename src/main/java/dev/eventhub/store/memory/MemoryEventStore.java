package dev.eventhub.store.memory;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.AppendListener;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.LogSlice;
import dev.eventhub.store.StoreFullException;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded store for one instance without Redis: the same semantics as the Redis store (head,
 * trim, log expiry, head expiry), held in this process, for at most {@code maxTopics} topics (see
 * {@link TopicTable} for what happens at the limit). Expired logs and heads are invisible at once
 * and freed by {@link #sweep()}, so memory is bounded by {@code maxTopics} topics of at most
 * {@code size} events each.
 */
public final class MemoryEventStore implements EventStore {

    /** {@code realtime.memory.max-topics}'s default. */
    public static final int DEFAULT_MAX_TOPICS = 10_000;

    private final TopicTable topics;
    private final Clock clock;
    private volatile AppendListener onAppend = (topic, id, json) -> {};

    /** With {@link #DEFAULT_MAX_TOPICS}. */
    public MemoryEventStore(int size, Duration ttl, Duration headTtl, Clock clock) {
        this(size, ttl, headTtl, DEFAULT_MAX_TOPICS, clock);
    }

    public MemoryEventStore(int size, Duration ttl, Duration headTtl, int maxTopics, Clock clock) {
        this.topics = new TopicTable(maxTopics, size, ttl.toMillis(), headTtl.toMillis());
        this.clock = clock;
    }

    /** Called after each append, so streams in this process get the event at once, not at the next poll. */
    public void onAppend(AppendListener listener) {
        this.onAppend = listener;
    }

    @Override
    public Uni<EventId> append(Topic topic, String json) {
        return Uni.createFrom().item(() -> appendNow(topic, json));
    }

    /**
     * {@link #append} done on the calling thread: for callers that decide an event and append it
     * inside one critical section of their own (presence), as a Lua script does in Redis.
     *
     * @throws StoreFullException when the topic is new and the store is full
     */
    public EventId appendNow(Topic topic, String json) {
        EventId id = topics.append(topic, json, clock.millis());
        onAppend.appended(topic, id, json);
        return id;
    }

    /**
     * Makes sure the topic has a place, for a caller that will append to it inside a critical
     * section of its own and must not be refused halfway (presence checks this before it changes
     * anything).
     *
     * @throws StoreFullException when the topic is new and the store is full
     */
    public void admit(Topic topic) {
        topics.admit(topic, clock.millis());
    }

    /** The topic's head now, {@link EventId#START} when it has none. */
    public EventId head(Topic topic) {
        TopicLog log = topics.live(topic, clock.millis());
        return log == null ? EventId.START : log.head();
    }

    @Override
    public Uni<LogSlice> readAfter(Topic topic, EventId after) {
        return Uni.createFrom().item(() -> {
            long now = clock.millis();
            TopicLog log = topics.live(topic, now);
            return log == null ? LogSlice.EMPTY : log.readAfter(after, now);
        });
    }

    @Override
    public Uni<List<EventId>> heads(List<Topic> topics) {
        return Uni.createFrom().item(() -> {
            List<EventId> heads = new ArrayList<>(topics.size());
            for (Topic topic : topics) {
                heads.add(head(topic));
            }
            return heads;
        });
    }

    @Override
    public Uni<EventId> restartEpoch(Topic topic, EventId rolledBack) {
        return Uni.createFrom().item(() -> {
            long now = clock.millis();
            TopicLog log = topics.live(topic, now);
            return log == null ? EventId.START : log.restartEpoch(rolledBack, now);
        });
    }

    /**
     * Replaces a topic's head and log ({@link EventId#START}: forgets the topic), as a flush, a
     * failover to a replica that lagged or a restore from a backup does to a Redis store. Never
     * called by the hub: the memory store does not lose or go back by itself, but the fan-out's
     * answer to a store that does is tested on both stores.
     */
    public void restore(Topic topic, EventId head, List<StoredEvent> events) {
        if (head.isStart()) {
            topics.replace(topic, null);
            return;
        }
        TopicLog log = topics.newLog(clock.millis());
        log.restore(head, events);
        topics.replace(topic, log);
    }

    /** Drops every topic whose head has expired and frees the events of every expired log. */
    public void sweep() {
        topics.sweep(clock.millis());
    }

    /** How many topics are held; for tests of the bound. */
    public int topicCount() {
        return topics.count();
    }

    @Override
    public Uni<Void> ping() {
        return Uni.createFrom().voidItem();
    }

    @Override
    public String describe() {
        return "memory (this instance only)";
    }

    @Override
    public boolean shared() {
        return false;
    }
}
