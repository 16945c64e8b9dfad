package dev.eventhub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.event.EventFactory;
import dev.eventhub.event.Frame;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.fanout.Fanout;
import dev.eventhub.ops.HubStats;
import dev.eventhub.store.EventStore;
import dev.eventhub.support.Await;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Presence streams and their instances (fan-out, tracker, service) over one shared store, against
 * each store: what a watcher sees when viewers come and go through tabs, instances, crashes.
 */
public abstract class PresenceServiceContract {

    protected static final Duration TTL = Duration.ofMillis(1500);
    protected static final Duration REFRESH = Duration.ofMillis(300);
    protected static final Duration POLL = Duration.ofMillis(50);
    protected static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventFactory EVENTS =
            new EventFactory(JSON.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS), Clock.systemUTC());

    protected Vertx vertx;
    private final List<Instance> instances = new ArrayList<>();
    private final AtomicInteger instanceIds = new AtomicInteger();

    /** The event store of a new instance over the shared storage (memory: the same object). */
    protected abstract EventStore newLog();

    /** The presence store of a new instance, on {@code log}, with {@link #TTL} and a limit of 100. */
    protected abstract PresenceStore newPresenceStore(EventStore log);

    /** Lets the appends of {@code log} reach {@code fanout} as production wiring does (memory: directly). */
    protected void wire(EventStore log, Fanout fanout) {}

    /** Lets {@code duration} pass on the store's clock (memory: moves it; Redis: waits for it). */
    protected abstract void pass(Duration duration);

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopAll() {
        instances.forEach(i -> i.fanout.stop());
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** One hub instance: its own fan-out, tracker and service over the shared store. */
    protected final class Instance {
        final EventStore log;
        final PresenceStore store;
        final Fanout fanout;
        final PresenceTracker tracker;
        final PresenceService service;

        Instance(boolean renewing, UnaryOperator<PresenceStore> around) {
            log = newLog();
            store = around.apply(newPresenceStore(log));
            fanout = new Fanout(
                    log,
                    vertx,
                    new Fanout.Settings(
                            POLL, POLL, Duration.ofMinutes(5), Duration.ofMillis(1500), 64, 100, Duration.ZERO),
                    new HubStats());
            wire(log, fanout);
            fanout.start();
            tracker = new PresenceTracker(store, vertx, "i-" + instanceIds.incrementAndGet(), REFRESH);
            if (renewing) {
                tracker.start();
            }
            service = new PresenceService(store, tracker, fanout, EVENTS, JSON, 1024, Duration.ofMillis(1500), true);
            instances.add(this);
        }

        AssertSubscriber<Frame> open(Topic topic, String viewerId, String name) {
            return open(topic, viewerId, name, false);
        }

        /** @param verified whether the viewer id is a token's {@code sub} (else a {@code ?viewer=} claim) */
        AssertSubscriber<Frame> open(Topic topic, String viewerId, String name, boolean verified) {
            Map<String, String> display = new LinkedHashMap<>();
            display.put("name", name);
            return service.stream(topic, viewerId, verified, display)
                    .subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        }

        AssertSubscriber<Frame> watch(Topic topic) {
            return open(topic, null, null);
        }
    }

    /** A live instance: it renews its viewers every {@link #REFRESH}. */
    protected Instance newInstance() {
        return new Instance(true, store -> store);
    }

    protected static Topic newEntity() {
        return new Topic(EntityType.TRIP, UUID.randomUUID().toString(), Channel.PRESENCE);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Presence messages a stream got, as {@code snapshot [ids] count} or {@code viewer_joined ann 1}. */
    protected static List<String> seen(AssertSubscriber<Frame> stream) {
        List<String> out = new ArrayList<>();
        for (Frame frame : List.copyOf(stream.getItems())) {
            if (frame.data() == null) {
                continue;
            }
            JsonNode message = parse(frame.data());
            if ("presence_snapshot".equals(message.get("action").asText())) {
                List<String> ids = new ArrayList<>();
                message.get("viewers").forEach(v -> ids.add(v.get("id").asText()));
                out.add("snapshot " + ids + " " + message.get("count").asInt());
            } else if (message.has("viewer")) {
                out.add(message.get("action").asText() + " "
                        + message.get("viewer").get("id").asText() + " "
                        + message.get("count").asInt());
            } else {
                out.add(frame.id() + " " + frame.data()); // not a presence message: shown whole, and fails the test
            }
        }
        return out;
    }

    protected static void awaitSeen(AssertSubscriber<Frame> stream, List<String> expected) {
        Await.until(
                "stream to see " + expected + " (saw " + seen(stream) + ")",
                WAIT,
                () -> seen(stream).size() >= expected.size());
        assertEquals(expected, seen(stream));
    }

    /** The presence topic's events in the store, oldest first. */
    protected List<JsonNode> logged(Instance instance, Topic topic) {
        return instance.log.readAfter(topic, null).await().atMost(WAIT).events().stream()
                .map(StoredEvent::json)
                .map(PresenceServiceContract::parse)
                .toList();
    }

    /** Makes a marker viewer join through the API: everything told before it has reached a stream that sees it. */
    private static void marker(Instance instance, Topic topic) {
        instance.service.track(topic, "marker", new byte[0]).await().atMost(WAIT);
    }

    @Test
    void aPresenceStreamOpensWithRetryThenTheSnapshotAtTheHead() {
        Instance hub = newInstance();
        Topic topic = newEntity();
        hub.service
                .track(topic, "bob", "{\"name\":\"Bob\",\"id\":\"ignored\"}".getBytes())
                .await()
                .atMost(WAIT);
        AssertSubscriber<Frame> stream = hub.watch(topic);
        Await.until("two frames", WAIT, () -> stream.getItems().size() >= 2);
        Frame open = stream.getItems().get(0);
        assertEquals(1500, open.retryMillis());
        assertNull(open.data());
        Frame snapshot = stream.getItems().get(1);
        assertEquals(hub.log.readAfter(topic, null).await().atMost(WAIT).head().toString(), snapshot.id());
        assertEquals(
                "{\"action\":\"presence_snapshot\",\"viewers\":[{\"id\":\"bob\",\"name\":\"Bob\"}],\"count\":1}",
                snapshot.data());
    }

    @Test
    void aVerifiedTabJoiningAnUnverifiedClaimOnTheSameInstanceShowsItsDataAtOnceAndKeepsIt() {
        Instance hub = new Instance(false, store -> store); // no renewal: only the tracker's own calls
        Topic topic = newEntity();
        AssertSubscriber<Frame> claim = hub.open(topic, "ann", "Mallory", false);
        awaitSeen(claim, List.of("snapshot [ann] 1"));
        AssertSubscriber<Frame> ann = hub.open(topic, "ann", "Ann", true);
        awaitSeen(ann, List.of("snapshot [ann] 1"));
        assertEquals(
                "{\"action\":\"presence_snapshot\",\"viewers\":[{\"id\":\"ann\",\"name\":\"Ann\"}],\"count\":1}",
                ann.getItems().stream()
                        .filter(f -> f.data() != null)
                        .findFirst()
                        .orElseThrow()
                        .data(),
                "the verified tab is stored when it opens, not at the next renewal");
        AssertSubscriber<Frame> another = hub.open(topic, "ann", "Mallory again", false);
        awaitSeen(another, List.of("snapshot [ann] 1"));
        assertEquals(
                "[{\"id\":\"ann\",\"name\":\"Ann\"}]",
                hub.store.snapshot(topic).await().atMost(WAIT).viewers().toString());
        hub.tracker.refreshNow().await().atMost(WAIT);
        assertEquals(
                "[{\"id\":\"ann\",\"name\":\"Ann\"}]",
                hub.store.snapshot(topic).await().atMost(WAIT).viewers().toString(),
                "the renewal carries the verified tab's data, not the later claim's");
    }

    @Test
    void aViewersStreamMakesItPresentWithItsDisplayDataAndItsSnapshotIncludesItself() {
        Instance hub = newInstance();
        Topic topic = newEntity();
        AssertSubscriber<Frame> watcher = hub.watch(topic);
        awaitSeen(watcher, List.of("snapshot [] 0"));
        AssertSubscriber<Frame> ann = hub.open(topic, "ann", "Ann");
        awaitSeen(ann, List.of("snapshot [ann] 1"));
        awaitSeen(watcher, List.of("snapshot [] 0", "viewer_joined ann 1"));
        assertEquals(
                "{\"id\":\"ann\",\"name\":\"Ann\"}",
                logged(hub, topic).get(0).get("viewer").toString());
    }

    @Test
    void aStreamWithoutViewerOnlyWatches() {
        Instance hub = newInstance();
        Topic topic = newEntity();
        AssertSubscriber<Frame> watcher = hub.watch(topic);
        awaitSeen(watcher, List.of("snapshot [] 0"));
        assertEquals(0, hub.tracker.heldViewers());
        assertEquals(0, hub.service.list(topic).await().atMost(WAIT).count());
        assertTrue(logged(hub, topic).isEmpty());
    }

    @Test
    void twoTabsOfOneViewerGiveOneJoinAndOneLeave() {
        Instance hub = newInstance();
        Topic topic = newEntity();
        AssertSubscriber<Frame> watcher = hub.watch(topic);
        awaitSeen(watcher, List.of("snapshot [] 0"));
        AssertSubscriber<Frame> tab1 = hub.open(topic, "ann", "Ann");
        AssertSubscriber<Frame> tab2 = hub.open(topic, "ann", "Ann");
        awaitSeen(tab1, List.of("snapshot [ann] 1"));
        awaitSeen(tab2, List.of("snapshot [ann] 1"));
        tab1.cancel();
        marker(hub, topic);
        awaitSeen(watcher, List.of("snapshot [] 0", "viewer_joined ann 1", "viewer_joined marker 2"));
        tab2.cancel();
        awaitSeen(
                watcher,
                List.of("snapshot [] 0", "viewer_joined ann 1", "viewer_joined marker 2", "viewer_left ann 1"));
        Await.until("the entry for ann dropped", WAIT, () -> hub.tracker.heldViewers() == 0);
    }

    @Test
    void aViewerOnTwoInstancesJoinsOnceAndLeavesWhenItsLastStreamCloses() {
        Instance a = newInstance();
        Instance b = newInstance();
        Topic topic = newEntity();
        AssertSubscriber<Frame> watcher = a.watch(topic);
        awaitSeen(watcher, List.of("snapshot [] 0"));
        AssertSubscriber<Frame> onA = a.open(topic, "ann", "Ann");
        awaitSeen(onA, List.of("snapshot [ann] 1"));
        AssertSubscriber<Frame> onB = b.open(topic, "ann", "Ann");
        awaitSeen(onB, List.of("snapshot [ann] 1"));
        onA.cancel();
        Await.until("a released its lease", WAIT, () -> a.tracker.heldViewers() == 0);
        marker(b, topic);
        awaitSeen(watcher, List.of("snapshot [] 0", "viewer_joined ann 1", "viewer_joined marker 2"));
        onB.cancel();
        awaitSeen(
                watcher,
                List.of("snapshot [] 0", "viewer_joined ann 1", "viewer_joined marker 2", "viewer_left ann 1"));
    }

    @Test
    void renewalsKeepAStreamsViewerPresentPastTheTtl() {
        Instance hub = newInstance();
        Topic topic = newEntity();
        AssertSubscriber<Frame> ann = hub.open(topic, "ann", "Ann");
        awaitSeen(ann, List.of("snapshot [ann] 1"));
        for (int step = 0; step < 6; step++) { // twice the TTL, a renewal in every third of it
            pass(TTL.dividedBy(3));
            hub.tracker.refreshNow().await().atMost(WAIT);
        }
        assertEquals(1, hub.service.list(topic).await().atMost(WAIT).count());
        assertEquals(
                List.of("viewer_joined"),
                logged(hub, topic).stream().map(e -> e.get("action").asText()).toList());
    }

    @Test
    void aViewerOfAnInstanceThatDiedLeavesAfterTheTtlToldOnceByTheInstancesThatKnowTheEntity() {
        Instance dead = new Instance(false, store -> store); // takes its lease, then neither renews nor releases
        Instance b = newInstance();
        Instance c = newInstance();
        Topic topic = newEntity();
        AssertSubscriber<Frame> watchB = b.watch(topic);
        AssertSubscriber<Frame> watchC = c.watch(topic);
        awaitSeen(watchB, List.of("snapshot [] 0"));
        awaitSeen(watchC, List.of("snapshot [] 0"));
        dead.open(topic, "ann", "Ann");
        awaitSeen(watchB, List.of("snapshot [] 0", "viewer_joined ann 1"));
        pass(TTL.plus(REFRESH));
        awaitSeen(watchB, List.of("snapshot [] 0", "viewer_joined ann 1", "viewer_left ann 0"));
        awaitSeen(watchC, List.of("snapshot [] 0", "viewer_joined ann 1", "viewer_left ann 0"));
        marker(b, topic);
        awaitSeen(
                watchC, List.of("snapshot [] 0", "viewer_joined ann 1", "viewer_left ann 0", "viewer_joined marker 1"));
        List<JsonNode> events = logged(b, topic);
        assertEquals(
                List.of("viewer_joined", "viewer_left", "viewer_joined"),
                events.stream().map(e -> e.get("action").asText()).toList(),
                "one left, however many instances pruned");
        Duration present = Duration.between(
                Instant.parse(events.get(0).get("timestamp").asText()),
                Instant.parse(events.get(1).get("timestamp").asText()));
        assertTrue(present.compareTo(TTL) >= 0, "present for the TTL after the last renewal, was " + present);
    }

    @Test
    void aStoppingInstanceHandsItsViewersOverToTheInstanceTheyReconnectTo() {
        Instance a = newInstance();
        Instance b = newInstance();
        Topic topic = newEntity();
        AssertSubscriber<Frame> watcher = b.watch(topic);
        awaitSeen(watcher, List.of("snapshot [] 0"));
        AssertSubscriber<Frame> onA = a.open(topic, "ann", "Ann");
        awaitSeen(onA, List.of("snapshot [ann] 1"));
        a.tracker.stop();
        a.fanout.stop(); // ends its streams, as a shutdown does
        Await.until("a's stream ended", WAIT, () -> hasCompleted(onA));
        AssertSubscriber<Frame> onB = b.open(topic, "ann", "Ann"); // the browser reconnects
        awaitSeen(onB, List.of("snapshot [ann] 1"));
        marker(b, topic);
        awaitSeen(watcher, List.of("snapshot [] 0", "viewer_joined ann 1", "viewer_joined marker 2"));
        onB.cancel();
        pass(TTL.plus(REFRESH)); // a's lease, never released, expires (and so does the marker's)
        awaitSeen(
                watcher,
                List.of(
                        "snapshot [] 0",
                        "viewer_joined ann 1",
                        "viewer_joined marker 2",
                        "viewer_left ann 1",
                        "viewer_left marker 0"));
    }

    private static boolean hasCompleted(AssertSubscriber<Frame> stream) {
        try {
            stream.assertCompleted();
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Test
    void oneStoreCallRenewsAllOfAnInstancesViewersAndPrunesAllItsEntities() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> leasesPerCall = new ArrayList<>();
        List<Integer> entitiesPerCall = new ArrayList<>();
        Instance hub = new Instance(false, store -> new PresenceStore() {
            @Override
            public Uni<PresenceUpdate> track(String holder, List<Lease> leases, Collection<Topic> alsoPrune) {
                calls.incrementAndGet();
                leasesPerCall.add(leases.size());
                entitiesPerCall.add(alsoPrune.size());
                return store.track(holder, leases, alsoPrune);
            }

            @Override
            public Uni<PresenceUpdate> release(String holder, List<Lease> leases) {
                calls.incrementAndGet();
                return store.release(holder, leases);
            }

            @Override
            public Uni<PresenceSnapshot> snapshot(Topic topic) {
                return store.snapshot(topic);
            }
        });
        List<Topic> topics = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            topics.add(newEntity());
        }
        List<AssertSubscriber<Frame>> streams = new ArrayList<>();
        for (int v = 0; v < 30; v++) {
            streams.add(hub.open(topics.get(v % 5), "v" + v, null));
        }
        streams.add(hub.watch(newEntity()));
        streams.add(hub.watch(newEntity()));
        Await.until("31 snapshots", WAIT, () -> streams.stream().allMatch(s -> !seen(s).isEmpty()));
        assertEquals(30, calls.get(), "a viewer's first stream here takes its lease: one call each");
        AssertSubscriber<Frame> secondTab = hub.open(topics.get(0), "v0", null);
        Await.until("its snapshot", WAIT, () -> seen(secondTab).size() == 1);
        assertTrue(seen(secondTab).get(0).endsWith("] 6"), seen(secondTab).toString());
        assertEquals(30, calls.get(), "a second tab costs no store call");
        calls.set(0);
        leasesPerCall.clear();
        entitiesPerCall.clear();
        hub.tracker.refreshNow().await().atMost(WAIT);
        assertEquals(1, calls.get());
        assertEquals(List.of(30), leasesPerCall);
        assertEquals(List.of(7), entitiesPerCall, "5 entities with viewers and 2 only watched");
    }

    @Test
    void aSnapshotAndTheEventsAfterItAddUpToThePresenceWithNoGapAndNoDuplicate() throws Exception {
        Instance a = newInstance();
        Instance b = newInstance();
        Topic topic = newEntity();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> joining = pool.submit(() -> {
            for (int v = 0; v < 30; v++) {
                a.service.track(topic, "v" + v, new byte[0]).await().atMost(WAIT);
                if (v % 3 == 0) {
                    a.service.remove(topic, "v" + (v / 2)).await().atMost(WAIT);
                }
            }
        });
        List<AssertSubscriber<Frame>> watchers = new ArrayList<>();
        while (!joining.isDone()) {
            watchers.add((watchers.size() % 2 == 0 ? a : b).watch(topic));
            Thread.sleep(3); // spreads the watchers over the joins; what is asserted does not depend on it
        }
        joining.get();
        pool.shutdown();
        watchers.add(b.watch(topic));
        marker(a, topic);
        for (AssertSubscriber<Frame> watcher : watchers) {
            Await.until(
                    "the marker",
                    WAIT,
                    () -> seen(watcher).stream().anyMatch(s -> s.startsWith("viewer_joined marker")));
            Set<String> state = new HashSet<>();
            for (Frame frame : watcher.getItems()) {
                if (frame.data() == null) {
                    continue;
                }
                JsonNode message = parse(frame.data());
                String action = message.get("action").asText();
                if (action.equals("presence_snapshot")) {
                    message.get("viewers").forEach(v -> state.add(v.get("id").asText()));
                } else if (action.equals("viewer_joined")) {
                    String viewer = message.get("viewer").get("id").asText();
                    assertTrue(state.add(viewer), "a join after the snapshot is new");
                    if (viewer.equals("marker")) {
                        assertEquals(message.get("count").asInt(), state.size(), "the count at the marker");
                        break; // what came after it (an expiry, on a slow run) is not compared
                    }
                } else if (action.equals("viewer_left")) {
                    assertTrue(state.remove(message.get("viewer").get("id").asText()), "a leave is of a viewer seen");
                } else {
                    throw new AssertionError(
                            "not a presence message: " + frame.id() + " " + frame.data() + " in " + seen(watcher));
                }
                assertEquals(message.get("count").asInt(), state.size(), "the count matches what the watcher knows");
            }
            state.remove("marker");
            assertEquals(presentAtTheMarker(a, topic), state, "the watcher agrees with the log at the marker");
        }
    }

    /**
     * Who was present when the marker joined, folded from the presence log itself. Not a list read
     * before the marker: the viewers tracked through the API are never renewed, so on a slow run
     * the first ones expire (and are told as left) between such a read and the marker.
     */
    private static Set<String> presentAtTheMarker(Instance instance, Topic topic) {
        Set<String> present = new HashSet<>();
        for (StoredEvent event :
                instance.log.readAfter(topic, null).await().atMost(WAIT).events()) {
            JsonNode message = parse(event.json());
            String viewer = message.get("viewer").get("id").asText();
            if (viewer.equals("marker")) {
                return present;
            }
            if (message.get("action").asText().equals("viewer_joined")) {
                assertTrue(present.add(viewer), "the log tells a join once: " + viewer);
            } else {
                assertTrue(present.remove(viewer), "the log tells a leave of a viewer present: " + viewer);
            }
        }
        throw new AssertionError("the marker is not in the presence log");
    }
}
