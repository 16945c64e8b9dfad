package dev.eventhub.store.memory;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.LogSlice;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One topic of the memory store: its head (epoch and sequence) and its last events, with the Redis
 * store's expiry: the events are gone {@code ttl} after the last write (PEXPIRE on the log), the
 * head {@code headTtl} after it. A slot taken before any event ({@link TopicTable#admit}) has no
 * head and is gone after {@code ttl}.
 */
final class TopicLog {

    private final ArrayDeque<StoredEvent> events = new ArrayDeque<>();
    private final int size;
    private final long ttlMillis;
    private final long headTtlMillis;
    private String epoch;
    private long sequence;
    private long lastWrite;

    TopicLog(int size, long ttlMillis, long headTtlMillis, long now) {
        this.size = size;
        this.ttlMillis = ttlMillis;
        this.headTtlMillis = headTtlMillis;
        this.lastWrite = now;
    }

    synchronized EventId append(String json, long now) {
        if (epoch == null || now - lastWrite >= headTtlMillis) {
            epoch = EventId.newEpoch();
            sequence = 0;
            events.clear();
        } else if (logExpired(now)) {
            events.clear();
        }
        EventId id = new EventId(epoch, ++sequence);
        events.addLast(new StoredEvent(id, json));
        while (events.size() > size) {
            events.removeFirst();
        }
        lastWrite = now;
        return id;
    }

    synchronized EventId restartEpoch(EventId rolledBack, long now) {
        if (head().equals(rolledBack)) {
            epoch = EventId.newEpoch();
            sequence = 0;
            events.clear();
            lastWrite = now;
        }
        return head();
    }

    synchronized void restore(EventId head, List<StoredEvent> retained) {
        epoch = head.epoch();
        sequence = head.sequence();
        events.addAll(retained);
    }

    synchronized EventId head() {
        return epoch == null ? EventId.START : new EventId(epoch, sequence);
    }

    /** Whether the whole slot is gone: its head expired, or (no head) the slot's own TTL passed. */
    synchronized boolean expired(long now) {
        return now - lastWrite >= (epoch == null ? ttlMillis : headTtlMillis);
    }

    /** Whether the events are gone (the log's TTL passed); the head may live on. */
    synchronized boolean logExpired(long now) {
        return now - lastWrite >= ttlMillis;
    }

    /** Milliseconds until {@link #logExpired} (0 when it is). */
    synchronized long millisUntilLogExpires(long now) {
        return Math.max(0, lastWrite + ttlMillis - now);
    }

    /** Frees the events of an expired log, keeping the head (the sweep). */
    synchronized void dropExpiredEvents(long now) {
        if (logExpired(now)) {
            events.clear();
        }
    }

    synchronized LogSlice readAfter(EventId after, long now) {
        if (epoch == null) {
            return LogSlice.EMPTY;
        }
        dropExpiredEvents(now);
        EventId head = new EventId(epoch, sequence);
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
