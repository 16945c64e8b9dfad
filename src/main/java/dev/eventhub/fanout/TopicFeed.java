package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.fanout.ReplayPlan.ResyncReason;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.LogSlice;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One active topic on this instance: the last head read from the store, the retained window of
 * events read with it, and the local subscribers. All of them are served from one read of the
 * store, however many they are.
 *
 * <p>A feed belongs to ONE Vert.x context (an event loop): every touch of its state (a subscriber
 * attached or detached, an event offered by a notification, the poll's "head moved", a read
 * applied) runs there, in turn ({@link #execute}), so it needs no lock. It reads the store itself:
 * at most one read in flight, plus one "read again" flag; a failed read is left to the next poll.
 * Only its membership count ({@link #join}, {@link #leave}), which decides when it closes, is
 * touched from any thread, atomically.
 *
 * <p>Replay follows "register first, snapshot the head, replay up to it, then go live": a new
 * subscriber is admitted on the feed's context, between two reads or notifications, against the
 * window and head of the last read, so no event can fall between its replay and its live part,
 * and none can come twice.
 */
final class TopicFeed {

    /** How a feed reads the store ({@link StoreReads}). */
    interface Reads {
        Uni<LogSlice> read(Topic topic, EventId after);

        Uni<EventId> restartEpoch(Topic topic, EventId rolledBack);
    }

    /** A subscriber not served yet; {@code readsBefore}: reads started before it came. */
    private record Waiting(Subscriber subscriber, Resume resume, long readsBefore) {}

    /** A retained event with its frame, built once and shared by every replay and dispatch. */
    private record Retained(long sequence, Frame frame) {
        static Retained of(StoredEvent event) {
            return new Retained(event.id().sequence(), Frame.event(event));
        }
    }

    private static final int CLOSED = -1;

    private final Topic topic;
    private final int capacity;
    private final HubStats stats;
    /** The feed's context; null only in unit tests, whose caller serialises every call itself. */
    private final ContextInternal context;

    private final Reads reads;
    /** Subscribers joined and not left; {@link #CLOSED} once the last one left: never reopens. */
    private final AtomicInteger members = new AtomicInteger();

    // Touched on the context only (head and reading are also read by the poller, as hints).
    private final ArrayDeque<Retained> window = new ArrayDeque<>();
    private final LoopGroups live = new LoopGroups();
    private final List<Waiting> waiting = new ArrayList<>();
    /** The head as of the last read; null until the first read completes. */
    private volatile EventId head;

    private volatile boolean reading;
    private boolean readAgain;
    /** Reads started so far: a waiting subscriber is decided by a read that started after it came. */
    private long readsStarted;
    /** Notifications delivered events while the running read was out: its head may be older. */
    private boolean overtaken;
    /** The head went back and a new epoch was asked for; the next resync says {@code rolled_back}. */
    private boolean rollingBack;

    TopicFeed(Topic topic, int capacity, HubStats stats, Context context, Reads reads) {
        this.topic = topic;
        this.capacity = capacity;
        this.stats = stats;
        this.context = context == null ? null : ((ContextInternal) context).unwrap();
        this.reads = reads;
    }

    Topic topic() {
        return topic;
    }

    /**
     * Runs {@code task} on the feed's context: at once when the caller is already on its event
     * loop, else as a task of that context (tasks from one thread run in the order given).
     */
    void execute(Runnable task) {
        if (context == null || context.nettyEventLoop().inEventLoop()) {
            task.run();
        } else {
            context.runOnContext(ignored -> task.run());
        }
    }

    /** Any thread: counts one more subscriber in; false when the feed has closed (take a new one). */
    boolean join() {
        while (true) {
            int n = members.get();
            if (n == CLOSED) {
                return false;
            }
            if (members.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Any thread: counts a subscriber out; true when it was the last, which closes the feed for good. */
    boolean leave() {
        while (true) {
            int n = members.get();
            if (n <= 0) {
                return false; // already closed (not expected: each subscriber leaves once)
            }
            int next = n == 1 ? CLOSED : n - 1;
            if (members.compareAndSet(n, next)) {
                return next == CLOSED;
            }
        }
    }

    boolean closed() {
        return members.get() == CLOSED;
    }

    /** Any thread: the head as of the last read (a hint off the context); null until loaded. */
    EventId head() {
        return head;
    }

    /** Any thread: whether the first read completed (a hint off the context). */
    boolean loaded() {
        return head != null;
    }

    /** Any thread: whether a read is out (a hint off the context). */
    boolean isReading() {
        return reading;
    }

    /** Any thread: subscribers past their replay (a gauge). */
    int subscriberCount() {
        return live.size();
    }

    /**
     * On the context: adds a subscriber that {@link #join joined}; it is served now from the last
     * read, or waits for a read, which this starts. Nothing when its stream ended meanwhile.
     */
    void attach(Subscriber subscriber, Resume resume) {
        if (subscriber.connection().cancelled()) {
            return; // closed before this ran: its detach has run or follows
        }
        if (head == null || !admit(subscriber, resume, true)) {
            waiting.add(new Waiting(subscriber, resume, readsStarted));
            // One that only wants the head is served by the first read even if it started before
            // it came (what came meanwhile is dispatched to it live); others are decided by a read
            // that starts after them.
            if (!(head == null && reading && resume.live())) {
                read();
            }
        }
    }

    /** On the context: removes a subscriber. */
    void detach(Subscriber subscriber) {
        live.remove(subscriber);
        waiting.removeIf(w -> w.subscriber() == subscriber);
    }

    /** On the context: the poll read {@code storeHead}; reads when it is not the head here. */
    void polled(EventId storeHead) {
        if (head == null || !head.equals(storeHead)) {
            read();
        }
    }

    /**
     * On the context: reads the store now, or once more after the read that is out. A failed read
     * is not retried here: the next poll finds the head moved again (or the feed not loaded).
     */
    void read() {
        if (closed()) {
            return;
        }
        if (reading) {
            readAgain = true;
            return;
        }
        reading = true;
        startRead();
    }

    private void startRead() {
        readsStarted++;
        overtaken = false;
        reads.read(topic, head)
                .subscribe()
                .with(slice -> execute(() -> applied(slice)), failure -> execute(this::readFailed));
    }

    /** Applies a read; rolls the topic's epoch over first when the store went back, then reads again. */
    private void applied(LogSlice slice) {
        if (closed()) {
            reading = false;
            readAgain = false;
            return;
        }
        EventId rolledBack = apply(slice);
        if (rolledBack != null) {
            reads.restartEpoch(topic, rolledBack)
                    .subscribe()
                    .with(
                            ignored -> execute(() -> {
                                if (closed()) {
                                    readFailed();
                                } else {
                                    startRead(); // the read is still claimed
                                }
                            }),
                            failure -> execute(this::readFailed)); // the next poll finds the head behind again
            return;
        }
        boolean again = readAgain && !closed();
        readAgain = false;
        if (again) {
            startRead();
        } else {
            reading = false;
        }
    }

    /** A read failed: no retry here, the next poll reads again; a wake that came meanwhile is covered by it. */
    private void readFailed() {
        reading = false;
        readAgain = false;
    }

    /**
     * Applies a read of the store: dispatches what is new (or resyncs, as {@link ReplayPlan#live}
     * decides), then serves the waiting subscribers. A subscriber whose id is still ahead waits for
     * the next read when this one started before it came (it may predate the event it saw);
     * otherwise it is decided now. Returns the head to roll back from when the store went back
     * behind what this feed delivered: the caller starts a new epoch if the head is still that one,
     * then reads again; null otherwise. On the context, with the read claimed.
     */
    EventId apply(LogSlice slice) {
        if (head == null) {
            retain(slice.events());
            head = slice.head();
        } else {
            ReplayPlan plan = ReplayPlan.live(head, slice, overtaken, rollingBack);
            switch (plan.outcome()) {
                case REPLAY ->
                    publish(
                            slice.events().stream()
                                    .filter(e -> e.id().sequence() > plan.afterSequence())
                                    .toList(),
                            slice.head());
                case RESYNC -> resetAndResync(slice, plan.reason());
                case AHEAD -> readAgain = true;
                case ROLL_BACK -> {
                    rollingBack = true;
                    Log.warnf(
                            "Topic %s: the store's head %s is behind %s delivered here (a failover to a replica "
                                    + "that lagged?); starting a new epoch",
                            topic, slice.head(), head);
                    return slice.head();
                }
            }
        }
        if (!waiting.isEmpty()) {
            List<Waiting> ready = new ArrayList<>(waiting);
            waiting.clear();
            for (Waiting w : ready) {
                if (!admit(w.subscriber(), w.resume(), readsStarted <= w.readsBefore())) {
                    waiting.add(w);
                }
            }
        }
        return null;
    }

    /**
     * On the context: takes an event announced by the store. The next event of the current epoch,
     * with its JSON, is dispatched at once; one already seen is ignored; anything else (a gap,
     * another epoch, no JSON) makes the feed read the store.
     */
    void offer(EventId id, String json) {
        if (offered(id, json)) {
            read();
        }
    }

    /** Whether the offered event calls for a read. */
    private boolean offered(EventId id, String json) {
        if (closed() || head == null) {
            return false; // not loaded yet: the pending first read will include it
        }
        if (id.sameEpoch(head) && id.sequence() <= head.sequence()) {
            if (json == null || rollingBack || !givenTwice(id, json)) {
                return false;
            }
            // An id delivered here, announced for another event: the store went back (a failover
            // to a replica that lagged) and is reusing ids. The next read rolls the epoch over.
            Log.warnf("Topic %s: the store gave %s to another event; starting a new epoch", topic, id);
            rollingBack = true;
            return true;
        }
        if (json != null && id.sameEpoch(head) && id.sequence() == head.sequence() + 1 && !rollingBack) {
            publish(List.of(new StoredEvent(id, json)), id);
            overtaken |= reading;
            return false;
        }
        return true;
    }

    /** Whether the retained event with {@code id}'s sequence is another event than {@code json}. */
    private boolean givenTwice(EventId id, String json) {
        for (var it = window.descendingIterator(); it.hasNext(); ) {
            Retained retained = it.next();
            if (retained.sequence() == id.sequence()) {
                return !json.equals(retained.frame().data());
            }
            if (retained.sequence() < id.sequence()) {
                return false;
            }
        }
        return false;
    }

    private void publish(List<StoredEvent> events, EventId newHead) {
        for (StoredEvent event : events) {
            Retained retained = Retained.of(event);
            live.dispatch(retained.frame());
            window.addLast(retained);
        }
        trimWindow();
        head = newHead;
    }

    private void resetAndResync(LogSlice slice, ResyncReason reason) {
        Log.infof("Topic %s: %s at %s, %d subscribers told to resync", topic, reason.wire(), slice.head(), live.size());
        window.clear();
        retain(slice.events());
        head = slice.head();
        rollingBack = false;
        Frame resync = resyncFrame(reason);
        live.dispatch(resync);
        stats.resyncs.add(live.size());
    }

    /**
     * Serves a subscriber from the window and head: replay, resync or just live. Returns false
     * (and does nothing) only when {@code mayRead} and the requested id is ahead of this
     * instance's head, which may lag the store by one poll: the caller reads and asks again.
     */
    private boolean admit(Subscriber subscriber, Resume resume, boolean mayRead) {
        if (resume.live()) {
            subscriber.send(Frame.position(head));
        } else {
            ReplayPlan plan = resume.malformed()
                    ? ReplayPlan.resync(ResyncReason.UNKNOWN_ID)
                    : ReplayPlan.plan(
                            head, window.isEmpty() ? 0 : window.peekFirst().sequence(), resume.after());
            if (plan.outcome() == ReplayPlan.Outcome.AHEAD) {
                if (mayRead) {
                    return false;
                }
                plan = ReplayPlan.resync(plan.reason());
            }
            if (plan.outcome() == ReplayPlan.Outcome.RESYNC) {
                subscriber.send(resyncFrame(plan.reason()));
                stats.resyncs.increment();
            } else {
                for (Retained retained : window) {
                    if (retained.sequence() > plan.afterSequence()) {
                        subscriber.send(retained.frame());
                    }
                }
            }
        }
        if (!subscriber.connection().cancelled()) { // it may have been cut while given its replay
            live.add(subscriber);
        }
        return true;
    }

    private Frame resyncFrame(ResyncReason reason) {
        return Frame.message(head, ReplayPlan.resyncJson(reason, topic.name(), head));
    }

    private void retain(List<StoredEvent> events) {
        events.forEach(e -> window.addLast(Retained.of(e)));
        trimWindow();
    }

    private void trimWindow() {
        while (window.size() > capacity) {
            window.removeFirst();
        }
    }
}
