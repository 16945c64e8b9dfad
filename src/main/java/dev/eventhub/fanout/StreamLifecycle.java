package dev.eventhub.fanout;

import dev.eventhub.event.Frame;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The open streams of this instance and their lives: a heartbeat for all of them on one timer, a
 * jittered lifetime each, and the drain that ends them spread over a window on shutdown. A stream
 * counts once here however many topics it has.
 */
final class StreamLifecycle {

    /** Share of a lifetime or a retry hint that is randomised, so reconnections spread out. */
    static final double JITTER = 0.1;

    private final Vertx vertx;
    private final Duration heartbeat;
    private final Duration retry;
    private final Duration maxLifetime;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;
    private long heartbeatTimer = -1;

    StreamLifecycle(Vertx vertx, Duration heartbeat, Duration retry, Duration maxLifetime) {
        this.vertx = vertx;
        this.heartbeat = heartbeat;
        this.retry = retry;
        this.maxLifetime = maxLifetime;
    }

    void start() {
        heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
            Frame frame = Frame.heartbeat();
            open.forEach(connection -> connection.send(frame));
        });
    }

    /** Ends every open stream; browsers reconnect (elsewhere) and resume. */
    void stop() {
        vertx.cancelTimer(heartbeatTimer);
        new ArrayList<>(open).forEach(Connection::end);
    }

    /** Starts the life of a stream: its opening {@code retry:} and its lifetime. */
    void opened(Connection connection) {
        open.add(connection);
        connection.send(Frame.open(retry.toMillis()));
        long lifetime = maxLifetime.toMillis();
        if (lifetime > 0) {
            long jittered = lifetime
                    - (long) (lifetime * JITTER * ThreadLocalRandom.current().nextDouble());
            connection.lifetimeTimer(vertx.setTimer(Math.max(1, jittered), id -> {
                Log.debugf("%s reached its lifetime; the browser will resume", connection);
                endWithRetry(connection);
            }));
        }
    }

    /** Returns false when it had ended already. */
    boolean closed(Connection connection) {
        if (!open.remove(connection)) {
            return false;
        }
        if (connection.lifetimeTimer() >= 0) {
            vertx.cancelTimer(connection.lifetimeTimer());
        }
        return true;
    }

    int size() {
        return open.size();
    }

    boolean draining() {
        return draining;
    }

    /**
     * No new streams from now on, and every open one ends at a random moment within {@code window},
     * each with a {@code retry:} hint, so their browsers reconnect (to other instances) spread out.
     * Completes when every stream has ended or the window is over.
     */
    CompletableFuture<Void> drain(Duration window) {
        draining = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        long windowMillis = Math.max(1, window.toMillis());
        for (Connection connection : open) {
            long at = 1 + ThreadLocalRandom.current().nextLong(windowMillis);
            vertx.setTimer(at, id -> endWithRetry(connection));
        }
        long deadline = System.nanoTime() + window.toNanos();
        vertx.setPeriodic(20, id -> {
            if (open.isEmpty() || System.nanoTime() > deadline) {
                vertx.cancelTimer(id);
                done.complete(null);
            }
        });
        Log.infof("Draining %d streams over %s", open.size(), window);
        return done;
    }

    /** Ends a stream after a {@code retry:} hint of the base delay plus up to 10% jitter. */
    private void endWithRetry(Connection connection) {
        long base = retry.toMillis();
        connection.send(Frame.open(
                base + (long) (base * JITTER * ThreadLocalRandom.current().nextDouble())));
        connection.end();
    }
}
