package dev.eventhub.store.memory;

import dev.eventhub.event.EventId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory store's {@code Idempotency-Key}s: per topic and key, the first publish's id and body
 * digest, forgotten at the TTL as the Redis key expires. Bounded in count as well: past
 * {@code maxKeys} the oldest is forgotten first (a retry that late could then be stored twice).
 * Every entry lives equally long, so the oldest entries are also the first to expire; pruning from
 * the head of the insertion order costs only the entries it removes.
 */
final class IdempotencyKeys {

    /** The first publish with a key: the digest of its body and its id. */
    record First(String bodyDigest, EventId id, long expiresAt) {}

    private final LinkedHashMap<String, First> entries = new LinkedHashMap<>();
    private final long ttlMillis;
    private final int maxKeys;

    IdempotencyKeys(long ttlMillis, int maxKeys) {
        this.ttlMillis = ttlMillis;
        this.maxKeys = maxKeys;
    }

    /** The first publish under {@code key} on {@code topic}, or null when there is none within the TTL. */
    synchronized First find(String topic, String key, long now) {
        prune(now);
        return entries.get(topic + ' ' + key);
    }

    synchronized void remember(String topic, String key, String bodyDigest, EventId id, long now) {
        prune(now);
        entries.put(topic + ' ' + key, new First(bodyDigest, id, now + ttlMillis));
        Iterator<First> oldest = entries.values().iterator();
        while (entries.size() > maxKeys) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Forgets every expired key; the memory store's sweep calls it too. */
    synchronized void prune(long now) {
        Iterator<Map.Entry<String, First>> oldest = entries.entrySet().iterator();
        while (oldest.hasNext() && oldest.next().getValue().expiresAt() <= now) {
            oldest.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
