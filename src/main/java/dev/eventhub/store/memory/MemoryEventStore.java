package dev.eventhub.store.memory;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.AppendListener;
import dev.eventhub.store.Appended;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.IdempotencyKey;
import dev.eventhub.store.LogSlice;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded store for one instance without Redis: the same semantics as the Redis store (head,
 * trim, log expiry, head expiry), held in this process. Expired topics are dropped on access and by
 * {@link #sweep()}, so memory is bounded by what was published within the TTLs; idempotency keys
 * expire at their TTL and are bounded in count ({@link IdempotencyKeys}).
 */
public final class MemoryEventStore implements EventStore {

    private final Map<Topic, TopicLog> logs = new ConcurrentHashMap<>();
    private final int size;
    private final long ttlMillis;
    private final long headTtlMillis;
    private final IdempotencyKeys idempotency;
    private final Clock clock;
    private volatile AppendListener onAppend = (topic, id, json) -> {};

    /** Most {@code Idempotency-Key}s held when none is configured. */
    public static final int DEFAULT_IDEMPOTENCY_MAX_KEYS = 10_000;

    public MemoryEventStore(int size, Duration ttl, Duration headTtl, Clock clock) {
        this(size, ttl, headTtl, Duration.ofHours(1), DEFAULT_IDEMPOTENCY_MAX_KEYS, clock);
    }

    /**
     * @param idempotencyTtl how long an {@code Idempotency-Key} is remembered per topic
     * @param idempotencyMaxKeys most keys held over all topics; past it the oldest is forgotten
     */
    public MemoryEventStore(
            int size, Duration ttl, Duration headTtl, Duration idempotencyTtl, int idempotencyMaxKeys, Clock clock) {
        this.size = size;
        this.ttlMillis = ttl.toMillis();
        this.headTtlMillis = headTtl.toMillis();
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

    /** The key's check and the append under the topic's lock: one atomic step, as publish.lua is. */
    @Override
    public Uni<Appended> append(Topic topic, String json, IdempotencyKey key) {
        return Uni.createFrom().item(() -> {
            long now = clock.millis();
            TopicLog log = logs.computeIfAbsent(topic, t -> new TopicLog());
            EventId id;
            synchronized (log) {
                IdempotencyKeys.First first = idempotency.find(topic.name(), key.key(), now);
                if (first != null) {
                    return new Appended(
                            first.id(),
                            first.bodyDigest().equals(key.bodyDigest())
                                    ? Appended.Outcome.REPLAYED
                                    : Appended.Outcome.CONFLICT);
                }
                id = log.append(json, now);
                idempotency.remember(topic.name(), key.key(), key.bodyDigest(), id, now);
            }
            onAppend.appended(topic, id, json);
            return new Appended(id, Appended.Outcome.STORED);
        });
    }

    /**
     * {@link #append} done on the calling thread: for callers that decide an event and append it
     * inside one critical section of their own (presence), as a Lua script does in Redis.
     */
    public EventId appendNow(Topic topic, String json) {
        EventId id = logs.computeIfAbsent(topic, t -> new TopicLog()).append(json, clock.millis());
        onAppend.appended(topic, id, json);
        return id;
    }

    /** The topic's head now, {@link EventId#START} when it has none. */
    public EventId head(Topic topic) {
        TopicLog log = live(topic);
        return log == null ? EventId.START : log.head();
    }

    @Override
    public Uni<LogSlice> readAfter(Topic topic, EventId after) {
        return Uni.createFrom().item(() -> {
            TopicLog log = live(topic);
            return log == null ? LogSlice.EMPTY : log.readAfter(after, clock.millis());
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
            TopicLog log = live(topic);
            return log == null ? EventId.START : log.restartEpoch(rolledBack, clock.millis());
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
            logs.remove(topic);
            return;
        }
        TopicLog log = new TopicLog();
        log.restore(head, events, clock.millis());
        logs.put(topic, log);
    }

    /** Drops every topic whose head has expired. */
    public void sweep() {
        long now = clock.millis();
        logs.entrySet().removeIf(e -> e.getValue().headExpired(now));
        idempotency.prune(now);
    }

    /** How many idempotency keys are held; for tests of the bound. */
    public int idempotencyKeyCount() {
        return idempotency.size();
    }

    /** How many topics are held; for tests of the bound. */
    public int topicCount() {
        return logs.size();
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

    private TopicLog live(Topic topic) {
        TopicLog log = logs.get(topic);
        if (log != null && log.headExpired(clock.millis())) {
            logs.remove(topic, log);
            return null;
        }
        return log;
    }

    private final class TopicLog {
        private final ArrayDeque<StoredEvent> events = new ArrayDeque<>();
        private String epoch;
        private long sequence;
        private long lastAppend;

        synchronized EventId append(String json, long now) {
            if (epoch == null || now - lastAppend >= headTtlMillis) {
                epoch = EventId.newEpoch();
                sequence = 0;
                events.clear();
            } else if (now - lastAppend >= ttlMillis) {
                events.clear();
            }
            EventId id = new EventId(epoch, ++sequence);
            events.addLast(new StoredEvent(id, json));
            while (events.size() > size) {
                events.removeFirst();
            }
            lastAppend = now;
            return id;
        }

        synchronized EventId restartEpoch(EventId rolledBack, long now) {
            if (head().equals(rolledBack)) {
                epoch = EventId.newEpoch();
                sequence = 0;
                events.clear();
                lastAppend = now;
            }
            return head();
        }

        synchronized void restore(EventId head, List<StoredEvent> retained, long now) {
            epoch = head.epoch();
            sequence = head.sequence();
            events.addAll(retained);
            lastAppend = now;
        }

        synchronized EventId head() {
            return epoch == null ? EventId.START : new EventId(epoch, sequence);
        }

        synchronized boolean headExpired(long now) {
            return epoch != null && now - lastAppend >= headTtlMillis;
        }

        synchronized LogSlice readAfter(EventId after, long now) {
            if (epoch == null) {
                return LogSlice.EMPTY;
            }
            EventId head = new EventId(epoch, sequence);
            if (now - lastAppend >= ttlMillis) {
                events.clear();
            }
            List<StoredEvent> out = new ArrayList<>();
            boolean sameEpoch = after != null && epoch.equals(after.epoch());
            for (StoredEvent event : events) {
                if (!sameEpoch || event.id().sequence() > after.sequence()) {
                    out.add(event);
                }
            }
            return new LogSlice(head, List.copyOf(out));
        }
    }
}
