package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.ops.HubStats;
import dev.eventhub.ops.StreamGauges;
import dev.eventhub.store.AppendListener;
import dev.eventhub.store.EventStore;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * This instance's side of every stream, put together from its parts: the {@link FeedRegistry} (one
 * {@link TopicFeed} per topic read here, each on its own Vert.x context and reading the store itself
 * through {@link StoreReads}), the {@link HeadPoller} (one read of all heads per interval, telling
 * the feeds whose head moved) and the {@link StreamLifecycle} (heartbeat, lifetime, drain). A
 * stream is a {@link Connection} with one {@link Subscriber} per topic.
 */
public final class Fanout implements AppendListener, StreamGauges {

    private final Settings settings;
    private final HubStats stats;
    private final FeedRegistry registry;
    private final HeadPoller poller;
    private final StreamLifecycle lifecycle;
    private final Connection.Limits limits;
    /** One outbox per event loop, made by the loop's first stream. */
    private final Map<Context, LoopOutbox> outboxes = new ConcurrentHashMap<>();

    /**
     * @param pollInterval how often the heads of active topics are read while events flow
     * @param pollMaxInterval the longest the interval grows to while no head moves and
     *        notifications are arriving (they deliver; polling is only the safety net)
     * @param heartbeat how often every stream gets a comment line
     * @param retry the reconnection delay sent in {@code retry:}
     * @param bufferSize frames queued per connection before a slow reader is disconnected
     * @param window events kept per active topic for replay (the store's retention)
     * @param maxLifetime streams end after about this long (minus up to 10% jitter) with a
     *        {@code retry:} hint, so platforms with request timeouts never cut them mid-event;
     *        zero for no limit
     * @param bufferBytes bytes queued per connection before a slow reader is disconnected
     * @param totalBufferBytes bytes all connections may hold together; the one that would pass it is
     *        disconnected
     */
    public record Settings(
            Duration pollInterval,
            Duration pollMaxInterval,
            Duration heartbeat,
            Duration retry,
            int bufferSize,
            int window,
            Duration maxLifetime,
            long bufferBytes,
            long totalBufferBytes) {

        /** With the default byte bounds (256 KiB per stream, 64 MiB in all). */
        public Settings(
                Duration pollInterval,
                Duration pollMaxInterval,
                Duration heartbeat,
                Duration retry,
                int bufferSize,
                int window,
                Duration maxLifetime) {
            this(pollInterval, pollMaxInterval, heartbeat, retry, bufferSize, window, maxLifetime, 262_144, 67_108_864);
        }
    }

    public Fanout(EventStore store, Vertx vertx, Settings settings, HubStats stats) {
        this.settings = settings;
        this.stats = stats;
        StoreReads reads = new StoreReads(store, stats, settings.pollInterval());
        this.registry = new FeedRegistry(vertx, settings.window(), stats, reads);
        this.poller =
                new HeadPoller(reads, vertx, registry, stats, settings.pollInterval(), settings.pollMaxInterval());
        this.lifecycle = new StreamLifecycle(vertx, settings.heartbeat(), settings.retry(), settings.maxLifetime());
        this.limits = new Connection.Limits(
                settings.bufferSize(), settings.bufferBytes(), new BufferBudget(settings.totalBufferBytes()));
    }

    public void start() {
        poller.start();
        lifecycle.start();
    }

    /** Stops polling and ends every open stream; browsers reconnect (elsewhere) and resume. */
    public void stop() {
        poller.stop();
        lifecycle.stop();
    }

    /** Tells the fan-out whether store notifications arrive, which lets quiet polling slow down. */
    public void notificationsActive(BooleanSupplier active) {
        poller.notificationsActive(active);
    }

    /** Polls at once and returns to the base interval (e.g. notifications just (re)connected). */
    public void pollNow() {
        poller.pollNow();
    }

    /** Told when a topic gets its first reader here and when its last one leaves. */
    public void readerListener(ReaderListener listener) {
        registry.listener(listener);
    }

    @Override
    public Duration currentPollInterval() {
        return poller.currentInterval();
    }

    /**
     * A stream of frames for {@code topic}: first {@code retry:}, then the replay or resync that
     * {@code lastEventId} calls for (or the current position when it is null), then live events.
     * Cancelling the stream removes the subscriber at once.
     */
    public Multi<Frame> subscribe(Topic topic, String lastEventId) {
        return open(List.of(TopicOpening.of(topic)), lastEventId, false);
    }

    /**
     * One stream of several topics: as {@link #subscribe(Topic, String)} for each, with one
     * {@code id:} for all (the stream's cursor, {@link StreamCursor}), which {@code cursor} resumes.
     * It opens with one position frame for every topic (or, where topics open with a message of
     * the hub such as a snapshot or a resync, with those), and the hub's own messages name their
     * topic ({@code entityType}, {@code entityId}, {@code channel}) as events do.
     */
    public Multi<Frame> subscribe(List<TopicOpening> topics, String cursor) {
        return open(topics, cursor, true);
    }

    /**
     * The same stream written straight to {@code response} (SSE bytes, {@link ResponseOutput}), for a
     * resource whose status and headers RESTEasy sends: the returned {@code Multi} emits nothing; it
     * completes when the stream ends (RESTEasy then ends the response), and cancelling it (the
     * client went away) closes the stream. {@code multiplexed} as for the two {@code subscribe}s.
     */
    public <T> Multi<T> serve(
            List<TopicOpening> openings, String lastEventId, boolean multiplexed, HttpServerResponse response) {
        Resume[] resumes = resumes(openings, lastEventId, multiplexed);
        return Multi.createFrom().deferred(() -> {
            Connection connection = connection(openings, resumes, multiplexed);
            return Multi.createFrom().<T>emitter(emitter -> {
                connection.bind(response, emitter);
                start(connection, emitter, openings, resumes);
            });
        });
    }

    private Multi<Frame> open(List<TopicOpening> openings, String lastEventId, boolean multiplexed) {
        Resume[] resumes = resumes(openings, lastEventId, multiplexed);
        return Multi.createFrom().deferred(() -> {
            Connection connection = connection(openings, resumes, multiplexed);
            return Multi.createFrom()
                    .<Frame>emitter(emitter -> {
                        connection.bind(emitter);
                        start(connection, emitter, openings, resumes);
                    })
                    // A reader that fell too far behind (Connection's bounds) is ended, not failed: its
                    // browser reconnects and resumes from its last id, and its backlog is dropped at once.
                    .onFailure(BackPressureFailure.class)
                    .recoverWithCompletion();
        });
    }

    private Resume[] resumes(List<TopicOpening> openings, String lastEventId, boolean multiplexed) {
        Resume[] resumes = multiplexed
                ? StreamCursor.decode(
                        lastEventId, openings.stream().map(TopicOpening::topic).toList())
                : new Resume[] {Resume.from(lastEventId)};
        for (Resume resume : resumes) {
            if (!resume.live()) {
                stats.resumes.increment();
                break;
            }
        }
        return resumes;
    }

    private Connection connection(List<TopicOpening> openings, Resume[] resumes, boolean multiplexed) {
        List<Topic> topics = openings.stream().map(TopicOpening::topic).toList();
        Multiplex multiplex = multiplexed ? new Multiplex(topics, resumes) : null;
        Context context = Vertx.currentContext();
        LoopOutbox outbox = context == null
                ? null
                : outboxes.computeIfAbsent(((ContextInternal) context).unwrap(), LoopOutbox::new);
        return new Connection(topics, multiplex, stats, context, outbox, limits);
    }

    private void start(Connection connection, MultiEmitter<?> emitter, List<TopicOpening> openings, Resume[] resumes) {
        List<Topic> topics = connection.topics();
        List<Subscriber> subscribers = new ArrayList<>(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            subscribers.add(new Subscriber(topics.get(i), connection, i));
        }
        emitter.onTermination(() -> close(connection, subscribers, openings));
        lifecycle.opened(connection);
        poller.activity();
        for (int i = 0; i < topics.size(); i++) {
            Subscriber subscriber = subscribers.get(i);
            Uni<Frame> lead = openings.get(i).lead();
            if (lead == null) {
                attach(subscriber, resumes[i]);
            } else {
                lead.subscribe()
                        .with(
                                frame -> {
                                    subscriber.send(frame);
                                    attach(subscriber, Resume.after(frame.id(), frame.position()));
                                },
                                failure -> {
                                    Log.infof(
                                            "Ended a stream on %s before its %s opened (%s)",
                                            topics, subscriber.topic(), failure.getMessage());
                                    connection.end();
                                });
            }
        }
        if (emitter.isCancelled()) {
            close(connection, subscribers, openings);
        }
        Log.debugf("Opened %s (%d open)", connection, lifecycle.size());
    }

    private void attach(Subscriber subscriber, Resume resume) {
        if (subscriber.connection().cancelled()) {
            return; // ended while its lead was read
        }
        registry.attach(subscriber, resume);
        if (subscriber.connection().cancelled()) {
            registry.detach(subscriber); // ended meanwhile: its close may have run before the attach
        }
    }

    private void close(Connection connection, List<Subscriber> subscribers, List<TopicOpening> openings) {
        if (!lifecycle.closed(connection)) {
            return;
        }
        connection.markClosed();
        subscribers.forEach(registry::detach);
        openings.forEach(TopicOpening::close);
        Log.debugf("Closed %s (%d open)", connection, lifecycle.size());
    }

    /**
     * An event was appended (any thread): on its feed's context, dispatched directly when it is the
     * next one, else the feed reads the topic now.
     */
    @Override
    public void appended(Topic topic, EventId id, String json) {
        TopicFeed feed = registry.feed(topic);
        if (feed != null) {
            poller.activity();
            feed.execute(() -> feed.offer(id, json));
        }
    }

    @Override
    public boolean draining() {
        return lifecycle.draining();
    }

    /**
     * Starts a graceful shutdown: no new streams, and every open stream ends at a random moment
     * within {@code window}, each with a {@code retry:} hint. Completes when every stream has ended
     * or the window is over.
     */
    public CompletableFuture<Void> drain(Duration window) {
        return lifecycle.drain(window);
    }

    @Override
    public int openStreams() {
        return lifecycle.size();
    }

    @Override
    public int activeTopics() {
        return registry.size();
    }

    /** Subscribers of {@code topic} on this instance that are live (past their replay). */
    public int liveSubscribers(Topic topic) {
        TopicFeed feed = registry.feed(topic);
        return feed == null ? 0 : feed.subscriberCount();
    }
}
