package dev.eventhub.store.redis;

import dev.eventhub.event.EventId;
import dev.eventhub.store.AppendListener;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds this instance's one pub/sub subscription to {@code <prefix>notify} and passes each
 * notification ({@code <topic> <id> [<json>]}) to the fan-out. Correctness never depends on it:
 * while it is down the fan-out polls at its base interval, and on every (re)connect it is told to
 * poll at once, so what was announced meanwhile is read from the lists.
 *
 * <p>A subscription can die without a word (a black-holed connection never says it closed), so it is
 * checked: a PING on it every {@link Health#pingInterval}, and one not answered within
 * {@link Health#timeout} counts as lost: the connection is closed and opened again. Connecting and
 * subscribing are bounded by the same timeout.
 */
public final class RedisNotifier {

    private static final long RECONNECT_MILLIS = 1_000;

    private final Redis redis;
    private final String channel;
    private final Vertx vertx;
    private final AppendListener listener;
    private final Runnable onConnected;
    private final Health health;
    private final AtomicBoolean connected = new AtomicBoolean();
    private volatile boolean stopped;
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

    public RedisNotifier(Redis redis, String channel, Vertx vertx, AppendListener listener, Runnable onConnected) {
        this(redis, channel, vertx, listener, onConnected, Health.DEFAULT);
    }

    public RedisNotifier(
            Redis redis, String channel, Vertx vertx, AppendListener listener, Runnable onConnected, Health health) {
        this.redis = redis;
        this.channel = channel;
        this.vertx = vertx;
        this.listener = listener;
        this.onConnected = onConnected;
        this.health = health;
    }

    public void start() {
        connect();
        pingTimer = vertx.setPeriodic(health.pingInterval().toMillis(), id -> ping());
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
                            bounded(conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)))
                                    .subscribe()
                                    .with(
                                            ok -> {
                                                if (connected.compareAndSet(false, true)) {
                                                    Log.infof(
                                                            "Subscribed to %s: events are delivered as soon as they are published",
                                                            channel);
                                                }
                                                onConnected.run();
                                            },
                                            failure -> lost(conn, failure.getMessage()));
                        },
                        failure -> retryLater(failure.getMessage()));
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
            Log.warnf("Lost the subscription to %s (%s); polling at the base interval until it is back", channel, why);
            onConnected.run(); // poll now: what is published meanwhile is not announced
        }
        if (!stopped) {
            vertx.setTimer(RECONNECT_MILLIS, id -> connect());
        }
    }

    private void onMessage(Response message) {
        lastHeard = System.nanoTime();
        if (message == null || (message.type() != ResponseType.MULTI && message.type() != ResponseType.PUSH)) {
            return; // a PONG, not a notification
        }
        // Push messages are ["message", channel, payload]; replies to SUBSCRIBE are ["subscribe", ...].
        if (message == null
                || message.size() < 3
                || !"message".equals(message.get(0).toString())) {
            return;
        }
        String payload = message.get(2).toString();
        int firstSpace = payload.indexOf(' ');
        if (firstSpace < 0) {
            return;
        }
        int secondSpace = payload.indexOf(' ', firstSpace + 1);
        String topicName = payload.substring(0, firstSpace);
        String id =
                secondSpace < 0 ? payload.substring(firstSpace + 1) : payload.substring(firstSpace + 1, secondSpace);
        String json = secondSpace < 0 ? null : payload.substring(secondSpace + 1);
        String[] parts = topicName.split("/", -1);
        EventId eventId = EventId.parse(id).orElse(null);
        if (parts.length != 3 || eventId == null) {
            return;
        }
        try {
            listener.appended(Topic.parse(parts[0], parts[1], parts[2]), eventId, json);
        } catch (TopicException e) {
            Log.debugf("Ignored a notification for an unknown topic on %s", channel);
        }
    }
}
