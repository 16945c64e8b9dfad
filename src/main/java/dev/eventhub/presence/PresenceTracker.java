package dev.eventhub.presence;

import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * This instance's side of presence. It counts its open presence streams per (entity, viewer), so a
 * viewer's first stream here takes the instance's lease (one store call) and its last one gives it
 * up (one call), while further tabs cost nothing; and once per refresh interval it renews every
 * lease it holds and prunes every entity it knows, all in one {@link PresenceStore#track} call.
 *
 * <p>It knows an entity while it has a stream on it (viewer or watcher) and, after that, while its
 * last store call saw viewers there, so a viewer whose instance died is pruned (and told as
 * {@code viewer_left}) within one refresh interval after its lease expired by any instance that
 * knows the entity.
 *
 * <p>Store calls for one viewer run one after another (a release never overtakes the join before
 * it), a release waits for a renewal that may still carry its lease, and no store call is made
 * while this object's lock is held.
 */
public final class PresenceTracker {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final PresenceStore store;
    private final Vertx vertx;
    private final String instanceId;
    private final Duration refreshInterval;
    /** Store calls start from here, never from under the lock (the memory store dispatches events inline). */
    private final Executor async;

    private final Map<Topic, Entity> entities = new HashMap<>();
    private CompletableFuture<Void> refreshing = DONE;
    private boolean stopped;
    private long timer = -1;

    /**
     * @param instanceId this instance's lease holder name: letters, digits and {@code -}, unique
     *        among the instances sharing the store
     */
    public PresenceTracker(PresenceStore store, Vertx vertx, String instanceId, Duration refreshInterval) {
        if (!instanceId.matches("[A-Za-z0-9-]{1,64}") || PresenceStore.API.equals(instanceId)) {
            throw new IllegalArgumentException("instance id must be 1 to 64 letters, digits or '-', not 'api'");
        }
        this.store = store;
        this.vertx = vertx;
        this.instanceId = instanceId;
        this.refreshInterval = refreshInterval;
        this.async = task -> vertx.runOnContext(v -> task.run());
    }

    public String instanceId() {
        return instanceId;
    }

    public void start() {
        timer = vertx.setPeriodic(
                refreshInterval.toMillis(), id -> refreshNow().subscribe().with(ok -> {}));
    }

    /**
     * Stops renewing, and keeps every lease this instance holds: when the hub shuts down its
     * streams end, their browsers reconnect (to another instance) within the TTL and are still
     * present there, so nobody is told as leaving and joining again. A viewer that does not come
     * back leaves when this instance's lease expires. Streams closing after this change nothing.
     */
    public synchronized void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    /** One open presence stream: a viewer's, or a watcher's ({@code viewer} null). */
    public final class Connection {
        private final Topic topic;
        private final String viewerId;
        private final CompletableFuture<Void> ready;
        private boolean closed;

        private Connection(Topic topic, String viewerId, CompletableFuture<Void> ready) {
            this.topic = topic;
            this.viewerId = viewerId;
            this.ready = ready;
        }

        /** Completes once the viewer is present in the store (at once for a watcher or a further tab). */
        public Uni<Void> ready() {
            return Uni.createFrom().completionStage(ready);
        }

        /** Ends this stream's part; the last of a viewer's streams here gives up the lease. Idempotent. */
        public void close() {
            PresenceTracker.this.close(this);
        }
    }

    /** Opens a stream on {@code topic} (a presence topic); {@code viewer} null only watches. */
    public synchronized Connection connect(Topic topic, Viewer viewer) {
        Entity entity = entities.computeIfAbsent(topic, Entity::new);
        if (viewer == null) {
            entity.watchers++;
            return new Connection(topic, null, DONE);
        }
        Local local = entity.viewers.computeIfAbsent(viewer.id(), id -> new Local());
        // The newest display data is renewed from now on, but an unverified tab never replaces a
        // verified one's; a verified tab joining unverified ones is stored at once, not at renewal.
        boolean first = local.connections == 0;
        boolean upgrade = !first && viewer.verified() && !local.lease.viewer().verified();
        if (first || viewer.verified() || !local.lease.viewer().verified()) {
            local.lease = new Lease(topic, viewer);
        }
        local.connections++;
        if ((first || upgrade) && !stopped) {
            Lease lease = local.lease;
            local.then(() -> store.track(instanceId, List.of(lease), List.of())
                    .invoke(this::noted)
                    .subscribeAsCompletionStage());
        }
        return new Connection(topic, viewer.id(), local.tail);
    }

    /**
     * Notes counts the store reported: an entity that has viewers stays known (and pruned) here
     * until a prune finds it empty. The HTTP API calls this after its own store calls.
     */
    public synchronized void noted(PresenceUpdate update) {
        update.counts().forEach((topic, count) -> {
            if (count > 0) {
                entities.computeIfAbsent(topic, Entity::new).remembered = true;
            } else {
                Entity entity = entities.get(topic);
                if (entity != null) {
                    entity.remembered = false;
                    forgetIfIdle(entity);
                }
            }
        });
    }

    /**
     * One renewal: every lease held here and a prune of every entity known here, in one store call.
     * Skipped while the previous one is still running.
     */
    public Uni<Void> refreshNow() {
        List<Lease> held;
        List<Topic> known;
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (stopped || !refreshing.isDone() || entities.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            held = heldLeases();
            known = new ArrayList<>(entities.keySet());
            refreshing = done;
        }
        return store.track(instanceId, held, known)
                .invoke(this::noted)
                .onFailure()
                .invoke(failure -> Log.warnf(
                        "Could not renew %d presence leases (%s); retrying in %s, viewers stay present for the TTL",
                        held.size(), failure.getMessage(), refreshInterval))
                .onTermination()
                .invoke(() -> done.complete(null))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Viewers this instance holds a lease for; for tests and metrics. */
    public synchronized int heldViewers() {
        return heldLeases().size();
    }

    private synchronized void close(Connection connection) {
        if (connection.closed) {
            return;
        }
        connection.closed = true;
        Entity entity = entities.get(connection.topic);
        if (entity == null) {
            return;
        }
        if (connection.viewerId == null) {
            entity.watchers--;
            forgetIfIdle(entity);
            return;
        }
        Local local = entity.viewers.get(connection.viewerId);
        if (--local.connections > 0) {
            return;
        }
        if (stopped) {
            entity.viewers.remove(connection.viewerId);
            return;
        }
        Lease lease = local.lease;
        CompletableFuture<Void> renewal = refreshing; // may carry this lease: release after it
        CompletableFuture<Void> release = local.then(() -> renewal.thenCompose(ok ->
                store.release(instanceId, List.of(lease)).invoke(this::noted).subscribeAsCompletionStage()));
        release.whenComplete((ok, failure) -> released(entity, local, release, failure));
    }

    private synchronized void released(Entity entity, Local local, CompletableFuture<Void> release, Throwable failure) {
        if (failure != null) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            Log.warnf(
                    "Could not end the presence of %s on %s (%s); it ends when its lease expires",
                    local.lease.viewer().id(), entity.topic, cause.getMessage());
        }
        if (local.connections == 0 && local.tail == release) {
            entity.viewers.remove(local.lease.viewer().id(), local);
            forgetIfIdle(entity);
        }
    }

    private void forgetIfIdle(Entity entity) {
        if (entity.watchers == 0 && entity.viewers.isEmpty() && !entity.remembered) {
            entities.remove(entity.topic, entity);
        }
    }

    private List<Lease> heldLeases() {
        List<Lease> held = new ArrayList<>();
        for (Entity entity : entities.values()) {
            for (Local local : entity.viewers.values()) {
                if (local.connections > 0) {
                    held.add(local.lease);
                }
            }
        }
        return held;
    }

    /** An entity known here. */
    private static final class Entity {
        final Topic topic;
        final Map<String, Local> viewers = new HashMap<>();
        int watchers;
        /** The last store call saw viewers here: keep pruning it. */
        boolean remembered;

        Entity(Topic topic) {
            this.topic = topic;
        }
    }

    /** A viewer with streams here: how many, and the chain of its store calls. */
    private final class Local {
        Lease lease;
        int connections;
        CompletableFuture<Void> tail = DONE;

        /** Runs {@code call} after the viewer's previous call, whatever its outcome, never inline. */
        CompletableFuture<Void> then(Supplier<CompletionStage<?>> call) {
            CompletableFuture<Void> next = tail.handleAsync((ok, failure) -> null, async)
                    .thenCompose(ignored -> call.get())
                    .thenApply(ignored -> null);
            tail = next;
            return next;
        }
    }
}
