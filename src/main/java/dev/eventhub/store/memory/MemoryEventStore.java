package dev.eventhub.store.memory;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.AppendListener;
import dev.eventhub.store.Appended;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.IdempotencyKey;
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
 * {@code size} events each; idempotency keys expire at their TTL and are bounded in count
 * ({@link IdempotencyKeys}).
 */
public final class MemoryEventStore implements EventStore {

    /** {@code realtime.memory.max-topics}'s default. */
    public static final int DEFAULT_MAX_TOPICS = 10_000;

    /** Most {@code Idempotency-Key}s held when none is configured. */
    public static final int DEFAULT_IDEMPOTENCY_MAX_KEYS = 10_000;

    private static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(1);

    private final TopicTable topics;
    private final IdempotencyKeys idempotency;
    private final Clock clock;
    private volatile AppendListener onAppend = (topic, id, json) -> {};

    /** With {@link #DEFAULT_MAX_TOPICS} and the default idempotency bounds. */
    public MemoryEventStore(int size, Duration ttl, Duration headTtl, Clock clock) {
        this(size, ttl, headTtl, DEFAULT_MAX_TOPICS, clock);
    }

    /** With the default idempotency bounds. */
    public MemoryEventStore(int size, Duration ttl, Duration headTtl, int maxTopics, Clock clock) {
        this(size, ttl, headTtl, maxTopics, DEFAULT_IDEMPOTENCY_TTL, DEFAULT_IDEMPOTENCY_MAX_KEYS, clock);
    }

    /** With {@link #DEFAULT_MAX_TOPICS}. */
    public MemoryEventStore(
            int size, Duration ttl, Duration headTtl, Duration idempotencyTtl, int idempotencyMaxKeys, Clock clock) {
        this(size, ttl, headTtl, DEFAULT_MAX_TOPICS, idempotencyTtl, idempotencyMaxKeys, clock);
    }

    /**
     * @param maxTopics most topics held ({@code realtime.memory.max-topics})
     * @param idempotencyTtl how long an {@code Idempotency-Key} is remembered per topic
     * @param idempotencyMaxKeys most keys held over all topics; past it the oldest is forgotten
     */
    public MemoryEventStore(
            int size,
            Duration ttl,
            Duration headTtl,
            int maxTopics,
            Duration idempotencyTtl,
            int idempotencyMaxKeys,
            Clock clock) {
        this.topics = new TopicTable(maxTopics, size, ttl.toMillis(), headTtl.toMillis());
        this.idempotency = new IdempotencyKeys(idempotencyTtl.toMillis(), idempotencyMaxKeys);
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
     * The key's check, the append and the key's record in one critical section (the key table's
     * lock, taken before the topic table's): one atomic step, as publish.lua is.
     *
     * @throws StoreFullException when the topic is new and the store is full
     */
    @Override
    public Uni<Appended> append(Topic topic, String json, IdempotencyKey key) {
        return Uni.createFrom().item(() -> {
            long now = clock.millis();
            EventId id;
            synchronized (idempotency) {
                IdempotencyKeys.First first = idempotency.find(topic.name(), key.key(), now);
                if (first != null) {
                    return new Appended(
                            first.id(),
                            first.bodyDigest().equals(key.bodyDigest())
                                    ? Appended.Outcome.REPLAYED
                                    : Appended.Outcome.CONFLICT);
                }
                id = topics.append(topic, json, now);
                idempotency.remember(topic.name(), key.key(), key.bodyDigest(), id, now);
            }
            onAppend.appended(topic, id, json);
            return new Appended(id, Appended.Outcome.STORED);
        });
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
        long now = clock.millis();
        topics.sweep(now);
        idempotency.prune(now);
    }

    /** How many idempotency keys are held; for tests of the bound. */
    public int idempotencyKeyCount() {
        return idempotency.size();
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
