package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.EventStore;
import dev.eventhub.store.LogSlice;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store as the feeds and the poller use it, with its meters and its "failing / answers again"
 * log. A feed's read is not sent at once: the batch goes out at the end of the current task of
 * the loop that asked first, and every read asked for until then (the feeds a poll found moved, a
 * burst of gaps) joins it, as ONE pipelined {@link EventStore#readAfter(List, List)}. A poll whose
 * heads moved on many topics thus costs one round trip for the heads and typically one batch per
 * event loop with moved feeds, not one pool connection per topic, and a burst cannot exhaust the
 * store's connection pool. Each read is still one {@code read_after} per topic.
 */
final class StoreReads implements TopicFeed.Reads {

    /** A read asked for, answered when its batch comes back. */
    private record Request(Topic topic, EventId after, UniEmitter<? super LogSlice> answer) {}

    private final EventStore store;
    private final HubStats stats;
    private final Duration retryEvery;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();

    StoreReads(EventStore store, HubStats stats, Duration retryEvery) {
        this.store = store;
        this.stats = stats;
        this.retryEvery = retryEvery;
    }

    EventStore store() {
        return store;
    }

    /** {@code topic}'s events after {@code after}, read in the next batch. */
    @Override
    public Uni<LogSlice> read(Topic topic, EventId after) {
        return Uni.createFrom().emitter(answer -> {
            requests.add(new Request(topic, after, answer));
            queued.incrementAndGet();
            schedule();
        });
    }

    @Override
    public Uni<EventId> restartEpoch(Topic topic, EventId rolledBack) {
        return store.restartEpoch(topic, rolledBack).onFailure().invoke(this::failed);
    }

    /**
     * Sends what was asked for at the end of the current task of this event loop, so that the reads
     * asked for meanwhile join the batch; at once off Vert.x (tests).
     */
    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            Context context = Vertx.currentContext();
            if (context == null) {
                send();
            } else {
                context.runOnContext(ignored -> send());
            }
        }
    }

    private void send() {
        scheduled.set(false);
        List<Request> batch = new ArrayList<>(Math.max(1, queued.get()));
        Request request;
        while ((request = requests.poll()) != null) {
            queued.decrementAndGet();
            batch.add(request);
        }
        if (batch.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        if (batch.size() == 1) {
            Request only = batch.get(0);
            store.readAfter(only.topic(), only.after())
                    .subscribe()
                    .with(
                            slice -> {
                                answered(started);
                                only.answer().complete(slice);
                            },
                            failure -> {
                                failed(failure);
                                only.answer().fail(failure);
                            });
            return;
        }
        List<Topic> topics = new ArrayList<>(batch.size());
        List<EventId> afters = new ArrayList<>(batch.size());
        for (Request r : batch) {
            topics.add(r.topic());
            afters.add(r.after());
        }
        store.readAfter(topics, afters)
                .subscribe()
                .with(
                        slices -> {
                            answered(started);
                            for (int i = 0; i < batch.size(); i++) {
                                batch.get(i).answer().complete(slices.get(i));
                            }
                        },
                        failure -> {
                            failed(failure);
                            batch.forEach(r -> r.answer().fail(failure));
                        });
    }

    private void answered(long started) {
        stats.logReads.increment();
        stats.logReadNanos.add(System.nanoTime() - started);
        answered();
    }

    /** The store answered (a read or a poll of the heads). */
    void answered() {
        if (failing.compareAndSet(true, false)) {
            Log.infof("Store %s answers again; pollers resume from their last position", store.describe());
        }
    }

    /** The store failed a call: counted, and logged once until it answers again. */
    void failed(Throwable failure) {
        stats.storeErrors.increment();
        if (failing.compareAndSet(false, true)) {
            Log.warnf(
                    "Store %s is failing (%s); open streams keep their heartbeats and polling retries every %s",
                    store.describe(), failure.getMessage(), retryEvery);
        }
    }
}
