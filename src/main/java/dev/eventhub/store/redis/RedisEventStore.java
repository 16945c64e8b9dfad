package dev.eventhub.store.redis;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.Appended;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.IdempotencyKey;
import dev.eventhub.store.LogSlice;
import dev.eventhub.store.StoreUnavailableException;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The shared store: per topic a head key and a list, written by one Lua script per publish and read
 * by one script per changed topic; the heads of all of an instance's active topics are read with one
 * MGET per tick. On a Redis Cluster every key of a topic is in the topic's slot, so each script stays
 * in one slot; the heads are read with one MGET per slot that has active topics, and batches go out
 * on one cluster connection, pipelined per node. Costs per operation are in docs/performance.md and
 * docs/scaling.md.
 */
public final class RedisEventStore implements EventStore {

    /** Times a publish batch is sent again after a MOVED (a slot that moved: failover, resharding). */
    private static final int MOVED_RETRIES = 4;

    /** The pause before a resend after a MOVED, growing by this much each time (50, 100, 150, 200 ms). */
    private static final Duration MOVED_PAUSE = Duration.ofMillis(50);

    private static final LuaScript PUBLISH = LuaScript.load("publish");
    private static final LuaScript READ_AFTER = LuaScript.load("read_after");
    private static final LuaScript RESTART_EPOCH = LuaScript.load("restart_epoch");

    private final Redis redis;
    private final RedisKeys keys;
    private final Settings settings;
    private final String retention;
    private final String ttlMillis;
    private final String headTtlMillis;
    private final String idempotencyTtlMillis;
    private final boolean notify;
    private final String inlineMaxBytes;
    private final String description;
    private final boolean cluster;

    /** Requests sent at once on one cluster connection (Vert.x bounds a connection's waiting replies). */
    static final int CLUSTER_WAVE = 512;

    /**
     * @param size events kept per topic
     * @param ttl a log expires this long after its last event
     * @param headTtl a head expires this long after its last event
     * @param notifies whether each publish also announces itself ({@code <topic> <id> [<json>]}) on the
     *        topic's own channel ({@link RedisKeys#notifyChannel}, SPUBLISH where the server has it), so instances deliver at once instead of at their next poll
     * @param inlineMaxBytes events up to this size travel inside the notification; larger ones are
     *        announced by id and read from the list
     * @param timeout the longest any call waits for Redis's answer; then it fails as an outage does
     * @param minReplicas replicas that must have a publish before it is acknowledged ({@code WAIT},
     *        for at most half the timeout); 0 to acknowledge once the primary has it
     * @param idempotencyTtl how long an {@code Idempotency-Key} is remembered per topic
     */
    public record Settings(
            int size,
            Duration ttl,
            Duration headTtl,
            boolean notifies,
            int inlineMaxBytes,
            Duration timeout,
            int minReplicas,
            Duration idempotencyTtl) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
        public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(1);

        public static Settings of(int size, Duration ttl, Duration headTtl, boolean notify, int inlineMaxBytes) {
            return new Settings(
                    size, ttl, headTtl, notify, inlineMaxBytes, DEFAULT_TIMEOUT, 0, DEFAULT_IDEMPOTENCY_TTL);
        }

        public Settings withTimeout(Duration timeout) {
            return new Settings(size, ttl, headTtl, notifies, inlineMaxBytes, timeout, minReplicas, idempotencyTtl);
        }

        public Settings withMinReplicas(int minReplicas) {
            return new Settings(size, ttl, headTtl, notifies, inlineMaxBytes, timeout, minReplicas, idempotencyTtl);
        }

        public Settings withIdempotencyTtl(Duration idempotencyTtl) {
            return new Settings(size, ttl, headTtl, notifies, inlineMaxBytes, timeout, minReplicas, idempotencyTtl);
        }

        /** How long a publish waits for its replicas: half the timeout, so the answer comes within it. */
        Duration replicaWait() {
            return timeout.dividedBy(2);
        }
    }

    /** A store on a standalone Redis (or one primary with replicas). */
    public RedisEventStore(Redis redis, String keyPrefix, Settings settings, String description) {
        this(redis, keyPrefix, settings, description, false);
    }

    /**
     * @param cluster whether {@code redis} is a Redis Cluster client ({@code quarkus.redis.client-type=cluster}):
     *        multi-topic reads are then split by slot
     */
    public RedisEventStore(Redis redis, String keyPrefix, Settings settings, String description, boolean cluster) {
        this.redis = redis;
        this.keys = new RedisKeys(keyPrefix);
        this.settings = settings;
        this.retention = Integer.toString(settings.size());
        this.ttlMillis = Long.toString(settings.ttl().toMillis());
        this.headTtlMillis = Long.toString(settings.headTtl().toMillis());
        this.idempotencyTtlMillis = Long.toString(settings.idempotencyTtl().toMillis());
        this.notify = settings.notifies();
        this.inlineMaxBytes = Integer.toString(settings.inlineMaxBytes());
        this.description = description;
        this.cluster = cluster;
    }

    /** Whether this store runs on a Redis Cluster. */
    public boolean cluster() {
        return cluster;
    }

    /** The longest any call to Redis waits for its answer. */
    public Duration timeout() {
        return settings.timeout();
    }

    @Override
    public Uni<EventId> append(Topic topic, String json) {
        return publish(List.of(keys.head(topic), keys.log(topic)), publishArgs(topic, json))
                .map(RedisEventStore::toId);
    }

    /** publish.lua with the key's Redis key as KEYS[3] and the body digest and TTL as ARGV[9], ARGV[10]. */
    @Override
    public Uni<Appended> append(Topic topic, String json, IdempotencyKey key) {
        List<String> args = new ArrayList<>(publishArgs(topic, json));
        args.add(key.bodyDigest());
        args.add(idempotencyTtlMillis);
        return publish(List.of(keys.head(topic), keys.log(topic), keys.idempotency(topic, key.key())), args)
                .map(RedisEventStore::toAppended);
    }

    private Uni<Response> publish(List<String> keyArgs, List<String> args) {
        if (settings.minReplicas() == 0) {
            return eval(PUBLISH, keyArgs, args);
        }
        // WAIT counts the replicas that have this connection's writes: it goes in one batch with
        // the script, on one connection. On a cluster the batch goes to the node that serves the
        // script's keys (a keyless WAIT does not move it), but the client does not follow a MOVED
        // inside a batch: when the topic's slot has moved (a failover), the script did not run, so
        // the batch is sent again once the client has learnt the new owner.
        return replicatedOnOwner(Command.EVALSHA, PUBLISH.sha1(), keyArgs, args)
                .onFailure(RedisEventStore::isNoScript)
                .recoverWithUni(() -> replicatedOnOwner(Command.EVAL, PUBLISH.source(), keyArgs, args))
                .onFailure(failure -> !(failure instanceof StoreUnavailableException))
                .transform(failure ->
                        new StoreUnavailableException("Redis did not answer: " + failure.getMessage(), failure));
    }

    private Uni<Response> replicatedOnOwner(Command command, String script, List<String> keyArgs, List<String> args) {
        Uni<Response> once = replicated(command, script, keyArgs, args);
        if (!cluster) {
            return once;
        }
        return afterMoved(once, command, script, keyArgs, args, MOVED_RETRIES);
    }

    /**
     * Sends the batch again after a MOVED, at most {@code retriesLeft} more times, each after the
     * client has learnt the owner again and a short pause: in a failover the node the client asks
     * for the slot map may itself learn of the new master a moment later (cluster gossip).
     */
    private Uni<Response> afterMoved(
            Uni<Response> attempt,
            Command command,
            String script,
            List<String> keyArgs,
            List<String> args,
            int retriesLeft) {
        if (retriesLeft == 0) {
            return attempt;
        }
        return attempt.onFailure(RedisEventStore::isScriptMoved)
                .recoverWithUni(() -> afterMoved(
                        learnOwner(keyArgs.get(0))
                                .onItem()
                                .delayIt()
                                .by(MOVED_PAUSE.multipliedBy(MOVED_RETRIES - retriesLeft + 1L))
                                .chain(() -> replicated(command, script, keyArgs, args)),
                        command,
                        script,
                        keyArgs,
                        args,
                        retriesLeft - 1));
    }

    /**
     * A single-key read, which the cluster client does follow through a MOVED, making it fetch the
     * slot map again; the next batch is then routed with the new map.
     */
    private Uni<Void> learnOwner(String key) {
        return bounded(redis.send(Request.cmd(Command.EXISTS).arg(key))).replaceWithVoid();
    }

    /** The batch failed because the script's node no longer serves its slot: nothing of it ran. */
    private static boolean isScriptMoved(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("[0] MOVED ");
    }

    private Uni<Response> replicated(Command command, String script, List<String> keyArgs, List<String> args) {
        Request wait = Request.cmd(Command.WAIT)
                .arg(settings.minReplicas())
                .arg(settings.replicaWait().toMillis());
        return bounded(redis.batch(List.of(scriptRequest(command, script, keyArgs, args), wait)))
                .map(responses -> {
                    Response published = responses.get(0);
                    Appended appended = toAppended(published);
                    int replicas = responses.get(1).toInteger();
                    // A conflict stored nothing: it is answered 422 whatever the replicas did.
                    if (replicas < settings.minReplicas() && appended.outcome() != Appended.Outcome.CONFLICT) {
                        throw new ReplicasNotReachedException(appended.id(), replicas, settings.minReplicas());
                    }
                    return published;
                });
    }

    /** publish.lua's answer: the new id, or {first id, 1 when the digest matched else 0} for a used key. */
    private static Appended toAppended(Response response) {
        if (response.type() != ResponseType.MULTI) {
            return new Appended(toId(response), Appended.Outcome.STORED);
        }
        EventId first = toId(response.get(0));
        return new Appended(
                first, response.get(1).toInteger() == 1 ? Appended.Outcome.REPLAYED : Appended.Outcome.CONFLICT);
    }

    private static EventId toId(Response response) {
        return EventId.parse(response.toString())
                .orElseThrow(() -> new IllegalStateException("publish script returned a malformed id"));
    }

    /**
     * publish.lua's ARGV for one event on {@code topic}, with this store's retention, TTLs and
     * notification settings. Scripts that append from inside their own atomic step (presence) call
     * publish.lua as a function with these, so their events are stored and announced like any other.
     */
    public List<String> publishArgs(Topic topic, String json) {
        return List.of(
                EventId.newEpoch(),
                json,
                retention,
                ttlMillis,
                headTtlMillis,
                notify ? keys.notifyChannel(topic) : "",
                topic.name(),
                inlineMaxBytes);
    }

    /** The key names this store uses; other scripts in a topic's slot name their keys with it. */
    public RedisKeys keys() {
        return keys;
    }

    @Override
    public Uni<LogSlice> readAfter(Topic topic, EventId after) {
        String epoch = after == null ? "" : after.epoch();
        String sequence = after == null ? "0" : Long.toString(after.sequence());
        return eval(READ_AFTER, List.of(keys.head(topic), keys.log(topic)), List.of(epoch, sequence, retention))
                .map(RedisEventStore::toSlice);
    }

    /** One pipelined batch of read scripts: one round trip and one connection, however many topics. */
    @Override
    public Uni<List<LogSlice>> readAfter(List<Topic> topics, List<EventId> afters) {
        if (topics.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<List<String>> keyArgs = new ArrayList<>(topics.size());
        List<List<String>> args = new ArrayList<>(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            EventId after = afters.get(i);
            keyArgs.add(List.of(keys.head(topics.get(i)), keys.log(topics.get(i))));
            args.add(List.of(
                    after == null ? "" : after.epoch(),
                    after == null ? "0" : Long.toString(after.sequence()),
                    retention));
        }
        return evalAll(READ_AFTER, keyArgs, args)
                .map(responses ->
                        responses.stream().map(RedisEventStore::toSlice).toList());
    }

    /**
     * Standalone: one MGET for all. Cluster: one MGET per slot with active topics (a command may not
     * span slots), all sent together on one cluster connection, so one round trip per node.
     */
    @Override
    public Uni<List<EventId>> heads(List<Topic> topics) {
        if (topics.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> headKeys = topics.stream().map(keys::head).toList();
        if (!cluster) {
            return send(mget(headKeys)).map(RedisEventStore::toHeads);
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < headKeys.size(); i++) {
            bySlot.computeIfAbsent(HashSlot.of(headKeys.get(i)), slot -> new ArrayList<>())
                    .add(i);
        }
        List<List<Integer>> groups = new ArrayList<>(bySlot.values());
        List<Request> requests = groups.stream()
                .map(group -> mget(group.stream().map(headKeys::get).toList()))
                .toList();
        return sendAll(requests)
                .map(responses -> {
                    EventId[] heads = new EventId[topics.size()];
                    for (int g = 0; g < groups.size(); g++) {
                        List<EventId> slotHeads = toHeads(responses.get(g));
                        for (int j = 0; j < slotHeads.size(); j++) {
                            heads[groups.get(g).get(j)] = slotHeads.get(j);
                        }
                    }
                    return Arrays.asList(heads);
                })
                .onFailure()
                .transform(failure ->
                        new StoreUnavailableException("Redis did not answer: " + failure.getMessage(), failure));
    }

    private static Request mget(List<String> headKeys) {
        Request mget = Request.cmd(Command.MGET);
        headKeys.forEach(mget::arg);
        return mget;
    }

    private static List<EventId> toHeads(Response response) {
        List<EventId> heads = new ArrayList<>(response.size());
        for (Response head : response) {
            heads.add(
                    head == null
                            ? EventId.START
                            : EventId.parse(head.toString()).orElse(EventId.START));
        }
        return heads;
    }

    /**
     * Independent requests in one go. Standalone: one pipelined batch on one connection. Cluster:
     * see {@link #onCluster}.
     */
    Uni<List<Response>> sendAll(List<Request> requests) {
        if (!cluster) {
            return bounded(redis.batch(requests));
        }
        return onCluster(requests.stream()
                .<Function<RedisConnection, Uni<Response>>>map(request -> conn -> conn.send(request))
                .toList());
    }

    /**
     * Cluster: one cluster connection (a pooled connection per node) and every call made on it
     * without waiting, so they are pipelined per node, {@link #CLUSTER_WAVE} at a time; Vert.x
     * routes each request by its keys and follows MOVED/ASK.
     */
    private Uni<List<Response>> onCluster(List<Function<RedisConnection, Uni<Response>>> calls) {
        return redis.connect()
                .onItem()
                .transformToUni(conn ->
                        wave(conn, calls, 0, new ArrayList<>(calls.size())).eventually(conn::close))
                .plug(this::bounded);
    }

    private static Uni<List<Response>> wave(
            RedisConnection conn, List<Function<RedisConnection, Uni<Response>>> calls, int from, List<Response> out) {
        int to = Math.min(calls.size(), from + CLUSTER_WAVE);
        List<Uni<Response>> sends =
                calls.subList(from, to).stream().map(call -> call.apply(conn)).toList();
        return Uni.join().all(sends).andFailFast().onItem().transformToUni(responses -> {
            out.addAll(responses);
            return to == calls.size() ? Uni.createFrom().item(out) : wave(conn, calls, to, out);
        });
    }

    /**
     * Runs {@code script} once per entry of {@code keyArgs}/{@code args}, all in one go, falling
     * back to EVAL where Redis lost its script cache. Standalone: one batch, again with EVAL if it
     * answered NOSCRIPT (one server: then every script in it did). Cluster: each script falls back
     * on its own, since nodes lose their caches separately and a script that ran must not run twice.
     */
    public Uni<List<Response>> evalAll(LuaScript script, List<List<String>> keyArgs, List<List<String>> args) {
        Uni<List<Response>> all;
        if (cluster) {
            List<Function<RedisConnection, Uni<Response>>> calls = new ArrayList<>(keyArgs.size());
            for (int i = 0; i < keyArgs.size(); i++) {
                Request bySha = scriptRequest(Command.EVALSHA, script.sha1(), keyArgs.get(i), args.get(i));
                Request bySource = scriptRequest(Command.EVAL, script.source(), keyArgs.get(i), args.get(i));
                calls.add(conn -> conn.send(bySha)
                        .onFailure(RedisEventStore::isNoScript)
                        .recoverWithUni(() -> conn.send(bySource)));
            }
            all = onCluster(calls);
        } else {
            all = scripts(Command.EVALSHA, script.sha1(), keyArgs, args)
                    .onFailure(RedisEventStore::isNoScript)
                    .recoverWithUni(() -> scripts(Command.EVAL, script.source(), keyArgs, args));
        }
        return all.onFailure(failure -> !(failure instanceof StoreUnavailableException))
                .transform(failure ->
                        new StoreUnavailableException("Redis did not answer: " + failure.getMessage(), failure));
    }

    private Uni<List<Response>> scripts(
            Command command, String script, List<List<String>> keyArgs, List<List<String>> args) {
        List<Request> requests = new ArrayList<>(keyArgs.size());
        for (int i = 0; i < keyArgs.size(); i++) {
            requests.add(scriptRequest(command, script, keyArgs.get(i), args.get(i)));
        }
        return sendAll(requests);
    }

    @Override
    public Uni<EventId> restartEpoch(Topic topic, EventId rolledBack) {
        return eval(
                        RESTART_EPOCH,
                        List.of(keys.head(topic), keys.log(topic)),
                        List.of(rolledBack.toString(), EventId.newEpoch(), headTtlMillis))
                .map(response -> EventId.parse(response.toString()).orElse(EventId.START));
    }

    @Override
    public Uni<Void> ping() {
        return send(Request.cmd(Command.PING)).replaceWithVoid();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** The prefix of every key this store writes; tests use it to clean up. */
    public String keyPrefix() {
        return keys.prefix();
    }

    private static LogSlice toSlice(Response response) {
        if (response == null || response.size() == 0) {
            return LogSlice.EMPTY;
        }
        EventId head = EventId.parse(response.get(0).toString())
                .orElseThrow(() -> new IllegalStateException("malformed head in Redis"));
        List<StoredEvent> events = new ArrayList<>(response.size() - 1);
        for (int i = 1; i < response.size(); i++) {
            events.add(StoredEvent.decode(response.get(i).toString()));
        }
        Collections.reverse(events); // the list is newest first; slices are oldest first
        return new LogSlice(head, events);
    }

    /**
     * EVALSHA, falling back to EVAL (which also caches the script) when Redis lost its script cache;
     * fails with {@link StoreUnavailableException} when Redis does not answer.
     */
    public Uni<Response> eval(LuaScript script, List<String> keyArgs, List<String> args) {
        return send(scriptRequest(Command.EVALSHA, script.sha1(), keyArgs, args))
                .onFailure(RedisEventStore::isNoScript)
                .recoverWithUni(() -> send(scriptRequest(Command.EVAL, script.source(), keyArgs, args)));
    }

    private static Request scriptRequest(Command command, String script, List<String> keyArgs, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keyArgs.size());
        keyArgs.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null
                && failure.getMessage().contains("NOSCRIPT"); // a batch says "ERR [i] NOSCRIPT ..."
    }

    /**
     * One command, bounded by the store timeout like every call; fails with
     * {@link StoreUnavailableException} (whose message carries Redis's error) when it does not succeed.
     */
    public Uni<Response> send(Request request) {
        return bounded(redis.send(request))
                .onFailure(failure -> !isNoScript(failure))
                .transform(failure ->
                        new StoreUnavailableException("Redis did not answer: " + failure.getMessage(), failure));
    }

    /**
     * A call that fails with {@link StoreUnavailableException} when Redis has not answered within
     * the timeout (a black-holed connection answers never). The connection it was sent on is
     * closed by the client's read-idle timeout ({@code app/RedisConnectionOptions}), which gives its
     * pool slot back.
     */
    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem()
                .after(settings.timeout())
                .failWith(() -> new StoreUnavailableException(
                        "Redis did not answer within " + settings.timeout().toMillis() + " ms", null));
    }
}
