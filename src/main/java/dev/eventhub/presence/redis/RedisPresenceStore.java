package dev.eventhub.presence.redis;

import dev.eventhub.event.EventId;
import dev.eventhub.presence.Lease;
import dev.eventhub.presence.PresenceSnapshot;
import dev.eventhub.presence.PresenceStore;
import dev.eventhub.presence.PresenceUpdate;
import dev.eventhub.store.redis.LuaScript;
import dev.eventhub.store.redis.RedisEventStore;
import dev.eventhub.store.redis.RedisKeys;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Presence in Redis: per entity a sorted set of viewers by latest lease expiry, a hash of leases and
 * a hash of display data, in the slot of the presence topic's log, all changed by presence.lua,
 * which appends the events through publish.lua in the same step. A call covers many entities
 * (an instance renews all its leases in one call), up to {@link #MAX_LEASES_PER_CALL} leases per
 * script run so that no run holds Redis long. Keys and commands: docs/presence.md.
 */
public final class RedisPresenceStore implements PresenceStore {

    /** Leases per script run; more go in further runs, sent together. */
    public static final int MAX_LEASES_PER_CALL = 1000;

    private static final LuaScript PRESENCE = LuaScript.load("presence", "publish");

    private final RedisEventStore log;
    private final RedisKeys keys;
    private final String ttlMillis;
    private final String snapshotLimit;
    private final Clock clock;

    /** @param log the event store whose presence topics get the events, and whose client and keys are used */
    public RedisPresenceStore(RedisEventStore log, Duration ttl, int snapshotLimit, Clock clock) {
        this.log = log;
        this.keys = log.keys();
        this.ttlMillis = Long.toString(ttl.toMillis());
        this.snapshotLimit = Integer.toString(snapshotLimit);
        this.clock = clock;
    }

    @Override
    public Uni<PresenceUpdate> track(String holder, List<Lease> leases, Collection<Topic> alsoPrune) {
        return update("track", holder, leases, alsoPrune);
    }

    @Override
    public Uni<PresenceUpdate> release(String holder, List<Lease> leases) {
        return update("release", holder, leases, List.of());
    }

    @Override
    public Uni<PresenceSnapshot> snapshot(Topic topic) {
        Call call = new Call("snapshot", PresenceStore.API);
        call.entity(topic, List.of(), List.of());
        return log.eval(PRESENCE, call.keys, call.args()).map(response -> {
            EventId head = response.get(0).toString().isEmpty()
                    ? EventId.START
                    : EventId.parse(response.get(0).toString())
                            .orElseThrow(() -> new IllegalStateException("malformed head in Redis"));
            List<String> viewers = new ArrayList<>(response.size() - 2);
            for (int i = 2; i < response.size(); i++) {
                viewers.add(response.get(i).toString());
            }
            return new PresenceSnapshot(head, response.get(1).toInteger(), viewers);
        });
    }

    private Uni<PresenceUpdate> update(String op, String holder, List<Lease> leases, Collection<Topic> alsoPrune) {
        Map<Topic, List<Integer>> byEntity = new LinkedHashMap<>();
        for (int i = 0; i < leases.size(); i++) {
            byEntity.computeIfAbsent(leases.get(i).topic(), t -> new ArrayList<>())
                    .add(i);
        }
        alsoPrune.forEach(topic -> byEntity.computeIfAbsent(topic, t -> new ArrayList<>()));
        if (byEntity.isEmpty()) {
            return Uni.createFrom().item(new PresenceUpdate(List.of(), Map.of()));
        }
        List<Call> calls = new ArrayList<>();
        Call call = null;
        for (Map.Entry<Topic, List<Integer>> entity : byEntity.entrySet()) {
            if (call == null || call.leases >= MAX_LEASES_PER_CALL) {
                call = new Call(op, holder);
                calls.add(call);
            }
            call.entity(entity.getKey(), leases, entity.getValue());
        }
        List<Uni<Response>> runs =
                calls.stream().map(c -> log.eval(PRESENCE, c.keys, c.args())).toList();
        return Uni.join().all(runs).andFailFast().map(responses -> {
            Boolean[] changed = new Boolean[leases.size()];
            Map<Topic, Integer> counts = new HashMap<>();
            for (int i = 0; i < calls.size(); i++) {
                calls.get(i).collect(responses.get(i), changed, counts);
            }
            return new PresenceUpdate(Arrays.asList(changed), counts);
        });
    }

    /** One script run's KEYS and ARGV, built entity by entity. */
    private final class Call {
        final String op;
        final List<String> header;
        final List<String> keys = new ArrayList<>();
        final List<String> entityArgs = new ArrayList<>();
        final List<Topic> topics = new ArrayList<>();
        final List<List<Integer>> indexes = new ArrayList<>();
        int leases;

        Call(String op, String holder) {
            this.op = op;
            this.header = List.of(op, holder, ttlMillis, Instant.now(clock).toString(), snapshotLimit);
        }

        /** Adds an entity with the leases at {@code at} in {@code all}. */
        void entity(Topic topic, List<Lease> all, List<Integer> at) {
            topics.add(topic);
            indexes.add(at);
            RedisKeys names = RedisPresenceStore.this.keys;
            keys.addAll(List.of(
                    names.tagged(topic, "viewers"),
                    names.tagged(topic, "leases"),
                    names.tagged(topic, "display"),
                    names.head(topic),
                    names.log(topic)));
            entityArgs.add(topic.type().segment());
            entityArgs.add(topic.id());
            entityArgs.addAll(log.publishArgs(topic, ""));
            entityArgs.add(Integer.toString(at.size()));
            for (int i : at) {
                Lease lease = all.get(i);
                entityArgs.add(lease.viewer().id());
                if (op.equals("track")) {
                    entityArgs.add(lease.viewer().json());
                    entityArgs.add(lease.viewer().verified() ? "1" : "0");
                }
            }
            leases += at.size();
        }

        List<String> args() {
            List<String> args = new ArrayList<>(header.size() + 1 + entityArgs.size());
            args.addAll(header);
            args.add(Integer.toString(topics.size()));
            args.addAll(entityArgs);
            return args;
        }

        void collect(Response response, Boolean[] changed, Map<Topic, Integer> counts) {
            for (int e = 0; e < topics.size(); e++) {
                Response entity = response.get(e);
                counts.put(topics.get(e), entity.get(0).toInteger());
                List<Integer> at = indexes.get(e);
                for (int j = 0; j < at.size(); j++) {
                    changed[at.get(j)] = entity.get(j + 1).toInteger() == 1;
                }
            }
        }
    }
}
