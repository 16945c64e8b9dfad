package dev.eventhub.store.redis;

import dev.eventhub.event.EventId;
import dev.eventhub.store.AppendListener;
import dev.eventhub.topic.Topic;
import dev.eventhub.topic.TopicException;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds this instance's one pub/sub subscription to {@code <prefix>notify} and passes each
 * notification ({@code <topic> <id> [<json>]}) to the fan-out. Correctness never depends on it:
 * while it is down the fan-out polls at its base interval, and on every (re)connect it is told to
 * poll at once, so what was announced meanwhile is read from the lists.
 */
public final class RedisNotifier {

    private static final long RECONNECT_MILLIS = 1_000;

    private final Redis redis;
    private final String channel;
    private final Vertx vertx;
    private final AppendListener listener;
    private final Runnable onConnected;
    private final AtomicBoolean connected = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile RedisConnection connection;

    public RedisNotifier(Redis redis, String channel, Vertx vertx, AppendListener listener, Runnable onConnected) {
        this.redis = redis;
        this.channel = channel;
        this.vertx = vertx;
        this.listener = listener;
        this.onConnected = onConnected;
    }

    public void start() {
        connect();
    }

    public void stop() {
        stopped = true;
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
        redis.connect()
                .subscribe()
                .with(
                        conn -> {
                            connection = conn;
                            conn.handler(this::onMessage);
                            conn.exceptionHandler(failure -> lost(conn, failure.getMessage()));
                            conn.endHandler(() -> lost(conn, "connection closed"));
                            conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
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

    private void lost(RedisConnection conn, String why) {
        if (connection != conn) {
            return; // an older connection's late signal
        }
        connection = null;
        conn.close().subscribe().with(ok -> {}, failure -> {});
        retryLater(why);
    }

    private void retryLater(String why) {
        if (connected.compareAndSet(true, false)) {
            Log.warnf("Lost the subscription to %s (%s); polling at the base interval until it is back", channel, why);
        }
        if (!stopped) {
            vertx.setTimer(RECONNECT_MILLIS, id -> connect());
        }
    }

    private void onMessage(Response message) {
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
