package dev.eventhub.store.redis;

import dev.eventhub.event.EventId;
import dev.eventhub.store.AppendListener;
import dev.eventhub.store.TopicWatcher;
import dev.eventhub.topic.Topic;
import dev.eventhub.topic.TopicException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's pub/sub connection: subscribed to the channel of each topic it has readers for,
 * and only those ({@link #watch}/{@link #unwatch}, batched), and passing each notification
 * ({@code <topic> <id> [<json>]}) to the fan-out. Sharded pub/sub (SSUBSCRIBE, one command per slot
 * on a cluster) where the server has it (Redis 7), else classic SUBSCRIBE; publish.lua makes the
 * same choice. Correctness never depends on it: while it is down the fan-out polls at its base
 * interval, and whenever subscriptions are confirmed (a new connection, new topics) the fan-out is
 * told to poll at once, so what was announced before is read from the lists.
 *
 * <p>A subscription can die without a word (a black-holed connection never says it closed), so it is
 * checked: a PING on it every {@link Health#pingInterval}, and one not answered within
 * {@link Health#timeout} counts as lost: the connection is dropped and opened again. Connecting and
 * subscribing are bounded by the same timeout.
 */
public final class RedisNotifier implements TopicWatcher {

    private static final long RECONNECT_MILLIS = 1_000;
    /** Watch/unwatch calls within this window go out as one set of commands. */
    private static final long BATCH_MILLIS = 5;

    private final Redis redis;
    private final RedisKeys keys;
    private final boolean cluster;
    private final Vertx vertx;
    private final AppendListener listener;
    private final Runnable onSubscribed;
    private final NotifySubscriptions subscriptions;
    private final Health health;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean pollScheduled = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile boolean sharded;
    private volatile RedisConnection connection;
    private long pingTimer = -1;
    /** {@link System#nanoTime()} when this subscription last received anything. */
    private volatile long lastHeard = System.nanoTime();

    /**
     * @param pingInterval how often the subscription is checked with a PING
     * @param timeout how long connecting, subscribing or a PING may take before the subscription
     *        counts as lost
     */
    public record Health(Duration pingInterval, Duration timeout) {
        public static final Health DEFAULT = new Health(Duration.ofSeconds(10), Duration.ofSeconds(3));
    }

    /**
     * @param onSubscribed run (debounced) when subscriptions are confirmed: the fan-out polls, so
     *        nothing published before they took effect waits for a slow poll
     */
    public RedisNotifier(
            Redis redis, RedisEventStore store, Vertx vertx, AppendListener listener, Runnable onSubscribed) {
        this(redis, store, vertx, listener, onSubscribed, Health.DEFAULT);
    }

    public RedisNotifier(
            Redis redis,
            RedisEventStore store,
            Vertx vertx,
            AppendListener listener,
            Runnable onSubscribed,
            Health health) {
        this.redis = redis;
        this.keys = store.keys();
        this.cluster = store.cluster();
        this.vertx = vertx;
        this.listener = listener;
        this.onSubscribed = onSubscribed;
        this.subscriptions = new NotifySubscriptions(keys);
        this.health = health;
    }

    public void start() {
        pingTimer = vertx.setPeriodic(health.pingInterval().toMillis(), id -> ping());
        connect();
    }

    public void stop() {
        stopped = true;
        vertx.cancelTimer(pingTimer);
        RedisConnection current = connection;
        if (current != null) {
            current.close().subscribe().with(ok -> {}, failure -> {});
        }
    }

    /** Whether notifications are arriving; while not, the fan-out must not slow its polling. */
    public boolean connected() {
        return connected.get();
    }

    /** Whether this connection uses sharded pub/sub (SSUBSCRIBE); false: classic SUBSCRIBE. */
    public boolean sharded() {
        return sharded;
    }

    @Override
    public void watch(Topic topic) {
        if (subscriptions.watch(topic)) {
            scheduleFlush();
        }
    }

    @Override
    public void unwatch(Topic topic) {
        if (subscriptions.unwatch(topic)) {
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            vertx.setTimer(BATCH_MILLIS, id -> {
                flushScheduled.set(false);
                flush();
            });
        }
    }

    /** Sends what makes the connection's subscriptions the wanted ones (nothing while disconnected). */
    private void flush() {
        RedisConnection conn = connection;
        if (conn == null || !connected.get()) {
            return; // the next connection subscribes to everything wanted
        }
        NotifySubscriptions.Changes changes = subscriptions.take(cluster && sharded);
        for (List<String> channels : changes.unsubscribe()) {
            send(conn, sharded ? Command.SUNSUBSCRIBE : Command.UNSUBSCRIBE, channels);
        }
        for (List<String> channels : changes.subscribe()) {
            send(conn, sharded ? Command.SSUBSCRIBE : Command.SUBSCRIBE, channels);
        }
    }

    private void send(RedisConnection conn, Command command, List<String> channels) {
        Request request = Request.cmd(command);
        channels.forEach(request::arg);
        bounded(conn.send(request)).subscribe().with(ok -> {}, failure -> lost(conn, failure.getMessage()));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        bounded(redis.connect())
                .subscribe()
                .with(
                        conn -> {
                            connection = conn;
                            conn.handler(this::onMessage);
                            conn.exceptionHandler(failure -> lost(conn, failure.getMessage()));
                            conn.endHandler(() -> lost(conn, "connection closed"));
                            // Does the server have sharded pub/sub? COMMAND INFO answers nil if not.
                            bounded(conn.send(Request.cmd(Command.COMMAND)
                                            .arg("INFO")
                                            .arg("SSUBSCRIBE")))
                                    .subscribe()
                                    .with(
                                            info -> subscribed(
                                                    conn, info != null && info.size() > 0 && info.get(0) != null),
                                            failure -> lost(conn, failure.getMessage()));
                        },
                        failure -> retryLater(failure.getMessage()));
    }

    private void subscribed(RedisConnection conn, boolean serverHasSharded) {
        if (connection != conn) {
            return;
        }
        sharded = serverHasSharded;
        subscriptions.reset();
        if (connected.compareAndSet(false, true)) {
            Log.infof(
                    "Notifications: %s per topic (%d topics); events are delivered as soon as they are published",
                    sharded ? "sharded pub/sub (SSUBSCRIBE)" : "pub/sub (SUBSCRIBE)", subscriptions.size());
        }
        flush();
        pollSoon(); // whatever was published while not subscribed is read now
    }

    /** A subscription that does not answer a PING in time is lost, however quiet its socket is. */
    private void ping() {
        RedisConnection conn = connection;
        if (conn == null || !connected.get()) {
            return;
        }
        long sent = System.nanoTime();
        bounded(conn.send(Request.cmd(Command.PING))).subscribe().with(pong -> {}, failure -> {
            // The PONG may come as a pushed message rather than as the reply: anything heard
            // since the PING was sent shows the connection alive.
            if (lastHeard - sent < 0) {
                lost(conn, "no answer to PING: " + failure.getMessage());
            }
        });
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem()
                .after(health.timeout())
                .failWith(() -> new IllegalStateException(
                        "no answer within " + health.timeout().toMillis() + " ms"));
    }

    private void lost(RedisConnection conn, String why) {
        if (connection != conn) {
            return; // an older connection's late signal
        }
        connection = null;
        // Not handed back to the pool (close() would, and the next connect could get it again): a
        // connection that stopped answering is closed by the client's read-idle timeout, one that
        // ended is closed already.
        retryLater(why);
    }

    private void retryLater(String why) {
        if (connected.compareAndSet(true, false)) {
            Log.warnf("Lost the notification connection (%s); polling at the base interval until it is back", why);
            pollSoon(); // poll now: what is published meanwhile is not announced
        }
        if (!stopped) {
            vertx.setTimer(RECONNECT_MILLIS, id -> connect());
        }
    }

    private void pollSoon() {
        if (pollScheduled.compareAndSet(false, true)) {
            vertx.setTimer(BATCH_MILLIS, id -> {
                pollScheduled.set(false);
                onSubscribed.run();
            });
        }
    }

    private void onMessage(Response message) {
        lastHeard = System.nanoTime();
        if (message == null || (message.type() != ResponseType.MULTI && message.type() != ResponseType.PUSH)) {
            return; // a PONG, not a notification
        }
        // Pushes: ["message"|"smessage", channel, payload]; confirmations ["subscribe"|"ssubscribe", channel, n].
        if (message.size() < 3) {
            return;
        }
        String kind = message.get(0).toString();
        switch (kind) {
            case "message", "smessage" -> deliver(message.get(2).toString());
            case "subscribe", "ssubscribe" -> pollSoon();
            case "sunsubscribe" -> unsubscribedByServer(message.get(1).toString());
            default -> {}
        }
    }

    /**
     * The server drops shard channel subscriptions of a slot it no longer serves (failover, slot
     * migration). If the topic is still wanted, reconnect: the new connection learns the new
     * topology, subscribes again, and the fan-out polls what was missed.
     */
    private void unsubscribedByServer(String channel) {
        String topicName = keys.topicOfChannel(channel);
        Topic topic = topicName == null ? null : parse(topicName);
        RedisConnection conn = connection;
        if (topic != null && subscriptions.wants(topic) && conn != null) {
            lost(conn, "the server moved " + topicName + "'s slot");
        }
    }

    private void deliver(String payload) {
        int firstSpace = payload.indexOf(' ');
        if (firstSpace < 0) {
            return;
        }
        int secondSpace = payload.indexOf(' ', firstSpace + 1);
        String id =
                secondSpace < 0 ? payload.substring(firstSpace + 1) : payload.substring(firstSpace + 1, secondSpace);
        String json = secondSpace < 0 ? null : payload.substring(secondSpace + 1);
        Topic topic = parse(payload.substring(0, firstSpace));
        EventId eventId = EventId.parse(id).orElse(null);
        if (topic != null && eventId != null) {
            listener.appended(topic, eventId, json);
        }
    }

    private static Topic parse(String name) {
        String[] parts = name.split("/", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return Topic.parse(parts[0], parts[1], parts[2]);
        } catch (TopicException e) {
            Log.debugf("Ignored a notification for an unknown topic %s", name);
            return null;
        }
    }
}
