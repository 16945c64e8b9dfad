package dev.eventhub.store.memory;

import dev.eventhub.event.EventId;
import dev.eventhub.store.StoreFullException;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory store's topics, at most {@code maxTopics} of them, kept in the order they were last
 * written (least recently written first). A write that needs a new topic when the table is full
 * evicts the least recently written topic if its log has expired (its events are gone already; a
 * stream on it gets a resync, {@code head_lost}, as after a Redis eviction), and is refused with
 * {@link StoreFullException} otherwise: live events are never dropped to make room. Each decision
 * looks at one entry; {@link #sweep} frees expired topics and events, one pass over the table.
 *
 * <p>Every write happens under this table's lock, so no event is appended to a topic being evicted.
 */
final class TopicTable {

    private final int maxTopics;
    private final int size;
    private final long ttlMillis;
    private final long headTtlMillis;
    private final LinkedHashMap<Topic, TopicLog> byLastWrite = new LinkedHashMap<>();

    TopicTable(int maxTopics, int size, long ttlMillis, long headTtlMillis) {
        if (maxTopics < 1) {
            throw new IllegalArgumentException("realtime.memory.max-topics must be at least 1");
        }
        this.maxTopics = maxTopics;
        this.size = size;
        this.ttlMillis = ttlMillis;
        this.headTtlMillis = headTtlMillis;
    }

    /** The topic's log, or null when it has none (never had one, expired, evicted). */
    synchronized TopicLog live(Topic topic, long now) {
        TopicLog log = byLastWrite.get(topic);
        if (log != null && log.expired(now)) {
            byLastWrite.remove(topic);
            return null;
        }
        return log;
    }

    /** Appends to the topic, making it the most recently written. */
    synchronized EventId append(Topic topic, String json, long now) {
        return claim(topic, now).append(json, now);
    }

    /**
     * Makes sure the topic has a place, so that events appended to it soon (presence, which decides
     * and appends under a lock of its own) are not refused; a new place without events lasts the log TTL.
     *
     * @throws StoreFullException when it has none and none can be made
     */
    synchronized void admit(Topic topic, long now) {
        claim(topic, now);
    }

    /** Puts {@code log} in place of the topic's (restores, tests). */
    synchronized void replace(Topic topic, TopicLog log) {
        byLastWrite.remove(topic);
        if (log != null) {
            byLastWrite.put(topic, log);
        }
    }

    /** Drops every expired topic and frees the events of every expired log. */
    synchronized void sweep(long now) {
        Iterator<TopicLog> logs = byLastWrite.values().iterator();
        while (logs.hasNext()) {
            TopicLog log = logs.next();
            if (log.expired(now)) {
                logs.remove();
            } else {
                log.dropExpiredEvents(now);
            }
        }
    }

    synchronized int count() {
        return byLastWrite.size();
    }

    TopicLog newLog(long now) {
        return new TopicLog(size, ttlMillis, headTtlMillis, now);
    }

    private TopicLog claim(Topic topic, long now) {
        TopicLog log = byLastWrite.remove(topic);
        if (log == null || log.expired(now)) {
            makeRoom(now);
            log = newLog(now);
        }
        byLastWrite.put(topic, log); // now the most recently written
        return log;
    }

    private void makeRoom(long now) {
        if (byLastWrite.size() < maxTopics) {
            return;
        }
        Iterator<Map.Entry<Topic, TopicLog>> eldest = byLastWrite.entrySet().iterator();
        Map.Entry<Topic, TopicLog> leastRecent = eldest.next();
        if (leastRecent.getValue().logExpired(now)) {
            eldest.remove();
            Log.debugf(
                    "Memory store full (%d topics): evicted %s, whose log had expired",
                    maxTopics, leastRecent.getKey());
            return;
        }
        long millis = leastRecent.getValue().millisUntilLogExpires(now);
        throw new StoreFullException(maxTopics, Math.max(1, (millis + 999) / 1000));
    }
}
