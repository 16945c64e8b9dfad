package dev.eventhub.presence.memory;

import dev.eventhub.presence.Lease;
import dev.eventhub.presence.PresenceEvents;
import dev.eventhub.presence.PresenceSnapshot;
import dev.eventhub.presence.PresenceStore;
import dev.eventhub.presence.PresenceUpdate;
import dev.eventhub.presence.Viewer;
import dev.eventhub.store.StoreFullException;
import dev.eventhub.store.memory.MemoryEventStore;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence for one instance without Redis, with the Redis store's semantics. Each entity's change
 * and its event are made under the entity's map entry lock ({@link ConcurrentHashMap#compute}),
 * appending through {@link MemoryEventStore#appendNow}; an entity nobody is present on is dropped
 * at once, one nobody renewed for twice the TTL is forgotten by {@link #sweep} (as its Redis keys
 * expire), and at most {@code maxEntities} are held: a viewer joining one more entity is refused
 * with {@link StoreFullException} before anything changes, as is a change whose presence topic the
 * event store has no room for.
 */
public final class MemoryPresenceStore implements PresenceStore {

    private final MemoryEventStore log;
    private final long ttlMillis;
    private final int snapshotLimit;
    private final int maxEntities;
    private final Clock clock;
    private final ConcurrentHashMap<Topic, Entity> entities = new ConcurrentHashMap<>();

    /** With at most {@link MemoryEventStore#DEFAULT_MAX_TOPICS} entities. */
    public MemoryPresenceStore(MemoryEventStore log, Duration ttl, int snapshotLimit, Clock clock) {
        this(log, ttl, snapshotLimit, MemoryEventStore.DEFAULT_MAX_TOPICS, clock);
    }

    public MemoryPresenceStore(MemoryEventStore log, Duration ttl, int snapshotLimit, int maxEntities, Clock clock) {
        this.log = log;
        this.ttlMillis = ttl.toMillis();
        this.snapshotLimit = snapshotLimit;
        this.maxEntities = maxEntities;
        this.clock = clock;
    }

    @Override
    public Uni<PresenceUpdate> track(String holder, List<Lease> leases, Collection<Topic> alsoPrune) {
        return Uni.createFrom()
                .item(() -> apply(
                        leases, alsoPrune, true, (entity, lease, now) -> entity.track(holder, lease.viewer(), now)));
    }

    @Override
    public Uni<PresenceUpdate> release(String holder, List<Lease> leases) {
        return Uni.createFrom()
                .item(() -> apply(
                        leases,
                        List.of(),
                        false,
                        (entity, lease, now) ->
                                entity.release(holder, lease.viewer().id(), now)));
    }

    @Override
    public Uni<PresenceSnapshot> snapshot(Topic topic) {
        return Uni.createFrom().item(() -> {
            PresenceSnapshot[] out = new PresenceSnapshot[1];
            entities.compute(topic, (t, entity) -> {
                Entity e = entity == null ? new Entity(t) : entity;
                e.prune(clock.millis());
                out[0] = new PresenceSnapshot(log.head(t), e.viewers.size(), e.listed(snapshotLimit));
                return e.viewers.isEmpty() ? null : e;
            });
            return out[0];
        });
    }

    /**
     * Forgets, without a word, every entity nobody renewed for twice the TTL, as Redis expires its
     * keys: one the app tracked once and never touched again (nothing else prunes it).
     */
    public void sweep() {
        long now = clock.millis();
        entities.keySet()
                .forEach(topic -> entities.computeIfPresent(
                        topic, (t, entity) -> entity.latest() + ttlMillis <= now ? null : entity));
    }

    /** How many entities are held; for tests of the bound. */
    public int entityCount() {
        return entities.size();
    }

    private interface Change {
        boolean apply(Entity entity, Lease lease, long now);
    }

    /** @param joins whether {@code change} may make a viewer present (and so an entity held) */
    private PresenceUpdate apply(List<Lease> leases, Collection<Topic> alsoPrune, boolean joins, Change change) {
        Map<Topic, List<Integer>> byEntity = new LinkedHashMap<>();
        for (int i = 0; i < leases.size(); i++) {
            byEntity.computeIfAbsent(leases.get(i).topic(), t -> new ArrayList<>())
                    .add(i);
        }
        alsoPrune.forEach(topic -> byEntity.computeIfAbsent(topic, t -> new ArrayList<>()));
        Boolean[] changed = new Boolean[leases.size()];
        Map<Topic, Integer> counts = new HashMap<>();
        byEntity.forEach((topic, indexes) -> entities.compute(topic, (t, entity) -> {
            boolean holds = entity != null || (joins && !indexes.isEmpty());
            if (entity == null && holds && entities.size() >= maxEntities) {
                throw new StoreFullException(maxEntities, Math.max(1, ttlMillis / 1000));
            }
            if (holds) {
                log.admit(t); // the events this change appends have a place: nothing is refused halfway
            }
            Entity e = entity == null ? new Entity(t) : entity;
            long now = clock.millis();
            e.prune(now);
            for (int i : indexes) {
                changed[i] = change.apply(e, leases.get(i), now);
            }
            counts.put(t, e.viewers.size());
            return e.viewers.isEmpty() ? null : e;
        }));
        return new PresenceUpdate(List.of(changed), counts);
    }

    /** One viewer: its JSON and its leases, holder to expiry (ms). */
    private static final class Present {
        final String id;
        String json;
        /** {@link #json} came from a verified viewer: only another verified one may replace it. */
        boolean verified;

        final Map<String, Long> leases = new HashMap<>();

        Present(String id) {
            this.id = id;
        }

        long latest() {
            return leases.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    /** One entity's viewers; only touched inside {@code entities.compute} for its topic. */
    private final class Entity {
        final Topic topic;
        final Map<String, Present> viewers = new HashMap<>();

        Entity(Topic topic) {
            this.topic = topic;
        }

        /** The latest expiry of any lease here (0 when none). */
        long latest() {
            return viewers.values().stream().mapToLong(Present::latest).max().orElse(0);
        }

        /**
         * Viewers whose leases have all expired leave, earliest expiry first (as Redis's ZRANGEBYSCORE),
         * each told once, the count falling to the final one.
         */
        void prune(long now) {
            List<Present> gone = viewers.values().stream()
                    .filter(p -> p.latest() <= now)
                    .sorted(Comparator.comparingLong(Present::latest).thenComparing(p -> p.id))
                    .toList();
            gone.forEach(p -> viewers.remove(p.id));
            for (int i = 0; i < gone.size(); i++) {
                emit(PresenceEvents.LEFT, gone.get(i).json, viewers.size() + gone.size() - 1 - i);
            }
        }

        boolean track(String holder, Viewer viewer, long now) {
            Present present = viewers.get(viewer.id());
            boolean joins = present == null;
            if (joins) {
                present = new Present(viewer.id());
                viewers.put(viewer.id(), present);
            }
            present.leases.values().removeIf(expiry -> expiry <= now);
            present.leases.put(holder, now + ttlMillis);
            if (viewer.verified() || !present.verified) {
                present.json = viewer.json();
                present.verified = viewer.verified();
            }
            if (joins) {
                emit(PresenceEvents.JOINED, present.json, viewers.size());
            }
            return joins;
        }

        boolean release(String holder, String viewerId, long now) {
            Present present = viewers.get(viewerId);
            if (present == null) {
                return false;
            }
            present.leases.remove(holder);
            present.leases.values().removeIf(expiry -> expiry <= now);
            if (!present.leases.isEmpty()) {
                return false;
            }
            viewers.remove(viewerId);
            emit(PresenceEvents.LEFT, present.json, viewers.size());
            return true;
        }

        /** Latest renewed first, ties by id descending: the order of Redis's ZRANGE ... REV. */
        List<String> listed(int limit) {
            return viewers.values().stream()
                    .sorted(Comparator.comparingLong(Present::latest)
                            .thenComparing(p -> p.id)
                            .reversed())
                    .limit(limit)
                    .map(p -> p.json)
                    .toList();
        }

        private void emit(String action, String viewerJson, int count) {
            log.appendNow(topic, PresenceEvents.json(topic, action, viewerJson, count, Instant.now(clock)));
        }
    }
}
