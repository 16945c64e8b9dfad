package dev.eventhub.store.redis;

import dev.eventhub.event.EventId;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.LogSlice;
import dev.eventhub.store.StoreUnavailableException;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The shared store: per topic a head key and a list, written by one Lua script per publish and read
 * by one script per changed topic; the heads of all of an instance's active topics are read with one
 * MGET per tick. Costs per operation are in docs/performance.md.
 */
public final class RedisEventStore implements EventStore {

    private static final LuaScript PUBLISH = LuaScript.load("publish");
    private static final LuaScript READ_AFTER = LuaScript.load("read_after");
    private static final LuaScript RESTART_EPOCH = LuaScript.load("restart_epoch");

    private final Redis redis;
    private final RedisKeys keys;
    private final String retention;
    private final String ttlMillis;
    private final String headTtlMillis;
    private final String notifyChannel;
    private final String inlineMaxBytes;
    private final String description;

    /**
     * @param notify whether each publish also PUBLISHes a notification on {@code <prefix>notify}
     *        ({@code <topic> <id> [<json>]}), so instances deliver at once instead of at their next poll
     * @param inlineMaxBytes events up to this size travel inside the notification; larger ones are
     *        announced by id and read from the list
     */
    public RedisEventStore(
            Redis redis,
            String keyPrefix,
            int size,
            Duration ttl,
            Duration headTtl,
            boolean notify,
            int inlineMaxBytes,
            String description) {
        this.redis = redis;
        this.keys = new RedisKeys(keyPrefix);
        this.retention = Integer.toString(size);
        this.ttlMillis = Long.toString(ttl.toMillis());
        this.headTtlMillis = Long.toString(headTtl.toMillis());
        this.notifyChannel = notify ? keys.notifyChannel() : "";
        this.inlineMaxBytes = Integer.toString(inlineMaxBytes);
        this.description = description;
    }

    @Override
    public Uni<EventId> append(Topic topic, String json) {
        return eval(PUBLISH, List.of(keys.head(topic), keys.log(topic)), publishArgs(topic, json))
                .map(response -> EventId.parse(response.toString())
                        .orElseThrow(() -> new IllegalStateException("publish script returned a malformed id")));
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
                notifyChannel,
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
        return batch(Command.EVALSHA, READ_AFTER.sha1(), topics, afters)
                .onFailure(RedisEventStore::isNoScript)
                .recoverWithUni(() -> batch(Command.EVAL, READ_AFTER.source(), topics, afters))
                .onFailure(failure -> !(failure instanceof StoreUnavailableException))
                .transform(failure ->
                        new StoreUnavailableException("Redis did not answer: " + failure.getMessage(), failure));
    }

    private Uni<List<LogSlice>> batch(Command command, String script, List<Topic> topics, List<EventId> afters) {
        List<Request> requests = new ArrayList<>(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            EventId after = afters.get(i);
            requests.add(scriptRequest(
                    command,
                    script,
                    List.of(keys.head(topics.get(i)), keys.log(topics.get(i))),
                    List.of(
                            after == null ? "" : after.epoch(),
                            after == null ? "0" : Long.toString(after.sequence()),
                            retention)));
        }
        return redis.batch(requests)
                .map(responses ->
                        responses.stream().map(RedisEventStore::toSlice).toList());
    }

    @Override
    public Uni<List<EventId>> heads(List<Topic> topics) {
        if (topics.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Request mget = Request.cmd(Command.MGET);
        for (Topic topic : topics) {
            mget.arg(keys.head(topic));
        }
        return send(mget).map(response -> {
            List<EventId> heads = new ArrayList<>(topics.size());
            for (Response head : response) {
                heads.add(
                        head == null
                                ? EventId.START
                                : EventId.parse(head.toString()).orElse(EventId.START));
            }
            return heads;
        });
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

    public String notifyChannel() {
        return keys.notifyChannel();
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

    private Uni<Response> send(Request request) {
        return redis.send(request)
                .onFailure(failure -> !isNoScript(failure))
                .transform(failure ->
                        new StoreUnavailableException("Redis did not answer: " + failure.getMessage(), failure));
    }
}
