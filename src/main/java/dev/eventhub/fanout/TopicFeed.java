package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.fanout.ReplayPlan.ResyncReason;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.LogSlice;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One active topic on this instance: the last head read from the store, the retained window of
 * events read with it, and the local subscribers. All of them are served from one read of the
 * store, however many they are.
 *
 * <p>Replay follows "register first, snapshot the head, replay up to it, then go live": a new
 * subscriber is admitted under the same lock that {@link #apply} holds while dispatching, against
 * the window and head of the last read, so no event can fall between its replay and its live part,
 * and none can come twice.
 */
final class TopicFeed {

    /** A subscriber not served yet; {@code readsBefore}: reads started before it came. */
    private record Waiting(Subscriber subscriber, Resume resume, long readsBefore) {}

    /** A retained event with its frame, built once and shared by every replay and dispatch. */
    private record Retained(long sequence, Frame frame) {
        static Retained of(StoredEvent event) {
            return new Retained(event.id().sequence(), Frame.event(event));
        }
    }

    private final Topic topic;
    private final int capacity;
    private final ArrayDeque<Retained> window = new ArrayDeque<>();
    private final Set<Subscriber> live = ConcurrentHashMap.newKeySet();
    private final List<Waiting> waiting = new ArrayList<>();
    /** The head as of the last read; null until the first read completes. */
    private EventId head;

    private boolean closed;
    private boolean reading;
    private boolean readAgain;
    /** Reads started so far: a waiting subscriber is decided by a read that started after it came. */
    private long readsStarted;
    /** Notifications delivered events while the running read was out: its head may be older. */
    private boolean overtaken;
    /** The head went back and a new epoch was asked for; the next resync says {@code rolled_back}. */
    private boolean rollingBack;

    private final HubStats stats;

    TopicFeed(Topic topic, int capacity, HubStats stats) {
        this.topic = topic;
        this.capacity = capacity;
        this.stats = stats;
    }

    Topic topic() {
        return topic;
    }

    /**
     * Adds a subscriber. Returns false when this feed has already closed (the caller then takes a
     * new feed). {@code needsRead} is set when a read must run before the subscriber is served.
     */
    synchronized boolean attach(Subscriber subscriber, Resume resume, boolean[] needsRead) {
        if (closed) {
            return false;
        }
        if (head == null || !admit(subscriber, resume, true)) {
            waiting.add(new Waiting(subscriber, resume, readsStarted));
            needsRead[0] = true;
        }
        return true;
    }

    /** Removes a subscriber; returns true when that left the feed empty, which closes it for good. */
    synchronized boolean detach(Subscriber subscriber) {
        live.remove(subscriber);
        waiting.removeIf(w -> w.subscriber() == subscriber);
        if (live.isEmpty() && waiting.isEmpty()) {
            closed = true;
        }
        return closed;
    }

    synchronized EventId head() {
        return head;
    }

    synchronized boolean loaded() {
        return head != null;
    }

    int subscriberCount() {
        return live.size();
    }

    /** Claims the right to read; false when a read is already running (it will run once more). */
    synchronized boolean beginRead() {
        if (closed) {
            return false;
        }
        if (reading) {
            readAgain = true;
            return false;
        }
        reading = true;
        startRead();
        return true;
    }

    private void startRead() {
        readsStarted++;
        overtaken = false;
    }

    /** Starts another read within a claimed one (after a new epoch was asked for). */
    synchronized void continueRead() {
        startRead();
    }

    /** Ends a read; true when another was asked for meanwhile and the caller should read again. */
    synchronized boolean endRead() {
        reading = false;
        boolean again = readAgain && !closed;
        readAgain = false;
        if (again) {
            reading = true;
            startRead();
        }
        return again;
    }

    /** Ends a read that failed: no retry here, the next poll reads again (with backoff-free timing). */
    synchronized void abortRead() {
        reading = false;
        readAgain = false;
    }

    synchronized boolean isReading() {
        return reading;
    }

    /**
     * Applies a read of the store: dispatches what is new (or resyncs, as {@link ReplayPlan#live}
     * decides), then serves the waiting subscribers. A subscriber whose id is still ahead waits for
     * the next read when this one started before it came (it may predate the event it saw);
     * otherwise it is decided now. Returns the head to roll back from when the store went back
     * behind what this feed delivered: the caller starts a new epoch if the head is still that one,
     * then reads again ({@link #continueRead}); null otherwise.
     */
    synchronized EventId apply(LogSlice slice) {
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
     * Takes an event announced by the store. The next event of the current epoch, with its JSON,
     * is dispatched at once; one already seen is ignored; anything else (a gap, another epoch,
     * no JSON) returns true: the caller must read the store.
     */
    synchronized boolean offer(EventId id, String json) {
        if (closed || head == null) {
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
            for (Subscriber subscriber : live) {
                subscriber.send(retained.frame());
            }
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
        for (Subscriber subscriber : live) {
            subscriber.send(resync);
            stats.resyncs.increment();
        }
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
        live.add(subscriber);
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
