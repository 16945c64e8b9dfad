package dev.eventhub.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventhub.event.EventFactory;
import dev.eventhub.event.InvalidEventException;
import dev.eventhub.event.StoredEvent;
import dev.eventhub.store.EventStore;
import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The presence contract, run against every store: the same calls give the same presence and the
 * same events from memory and from Redis.
 */
public abstract class PresenceStoreContract {

    protected static final Duration TTL = Duration.ofMillis(1500);
    protected static final int SNAPSHOT_LIMIT = 3;
    protected static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The store under test, with {@link #TTL} and {@link #SNAPSHOT_LIMIT}, on {@link #log()}. */
    protected abstract PresenceStore store();

    /** The event store that presence appends to. */
    protected abstract EventStore log();

    /** Lets {@code duration} pass on the store's clock (memory: moves it; Redis: waits for it). */
    protected abstract void pass(Duration duration);

    protected static Topic newEntity() {
        return new Topic(EntityType.TRIP, UUID.randomUUID().toString(), Channel.PRESENCE);
    }

    /** A viewer as a stream's {@code ?viewer=} declares it: unverified. */
    protected static Viewer viewer(String id, String name) {
        return new Viewer(id, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}", false);
    }

    /** A viewer declared by a trusted source: a token's {@code sub}, or the app's PUT. */
    protected static Viewer verified(String id, String name) {
        return new Viewer(id, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}", true);
    }

    private List<String> listed(Topic topic) {
        return snapshot(topic).viewers();
    }

    protected PresenceUpdate track(String holder, Topic topic, Viewer... viewers) {
        return store().track(holder, leases(topic, viewers), List.of()).await().atMost(WAIT);
    }

    protected PresenceUpdate release(String holder, Topic topic, Viewer... viewers) {
        return store().release(holder, leases(topic, viewers)).await().atMost(WAIT);
    }

    protected PresenceSnapshot snapshot(Topic topic) {
        return store().snapshot(topic).await().atMost(WAIT);
    }

    private static List<Lease> leases(Topic topic, Viewer... viewers) {
        return List.of(viewers).stream().map(v -> new Lease(topic, v)).toList();
    }

    /** The presence topic's events, oldest first, as JSON. */
    protected List<JsonNode> events(Topic topic) {
        List<JsonNode> out = new ArrayList<>();
        for (StoredEvent event :
                log().readAfter(topic, null).await().atMost(WAIT).events()) {
            try {
                out.add(JSON.readTree(event.json()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** Events as {@code action viewer count}, e.g. {@code viewer_joined ann 1}. */
    protected List<String> told(Topic topic) {
        return events(topic).stream()
                .map(e -> e.get("action").asText() + " "
                        + e.get("viewer").get("id").asText() + " "
                        + e.get("count").asInt())
                .toList();
    }

    private static Set<String> ids(PresenceSnapshot snapshot) {
        Set<String> ids = new HashSet<>();
        for (String viewer : snapshot.viewers()) {
            try {
                ids.add(JSON.readTree(viewer).get("id").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return ids;
    }

    @Test
    void aFirstLeaseMakesTheViewerJoinWithItsDisplayDataAndTheCount() {
        Topic topic = newEntity();
        PresenceUpdate first = track("i-a", topic, viewer("ann", "Ann"));
        PresenceUpdate second = track("i-a", topic, viewer("bob", "Bob"));
        assertEquals(List.of(true), first.changed());
        assertEquals(Map.of(topic, 1), first.counts());
        assertEquals(Map.of(topic, 2), second.counts());
        assertEquals(List.of("viewer_joined ann 1", "viewer_joined bob 2"), told(topic));
        assertEquals(
                "{\"id\":\"ann\",\"name\":\"Ann\"}",
                events(topic).get(0).get("viewer").toString());
    }

    @Test
    void anUnverifiedViewerCannotReplaceTheDisplayDataOfAVerifiedOne() {
        Topic topic = newEntity();
        track(PresenceStore.API, topic, verified("ann", "Ann"));
        assertEquals(
                List.of(false), track("i-a", topic, viewer("ann", "Mallory")).changed());
        assertEquals(List.of("{\"id\":\"ann\",\"name\":\"Ann\"}"), listed(topic));
        track("i-a", topic, viewer("ann", "Mallory")); // a renewal of the claim changes nothing either
        assertEquals(List.of("{\"id\":\"ann\",\"name\":\"Ann\"}"), listed(topic));
        track("i-b", topic, verified("ann", "Ann B."));
        assertEquals(List.of("{\"id\":\"ann\",\"name\":\"Ann B.\"}"), listed(topic), "a verified source may");
        release(PresenceStore.API, topic, Viewer.bare("ann"));
        release("i-b", topic, Viewer.bare("ann"));
        assertEquals(List.of("{\"id\":\"ann\",\"name\":\"Ann B.\"}"), listed(topic), "still the verified data");
        assertEquals(List.of("viewer_joined ann 1"), told(topic));
    }

    @Test
    void aVerifiedViewerReplacesAnUnverifiedClaimAndTheMarkEndsWhenTheViewerLeaves() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("ann", "Mallory"));
        assertEquals(List.of("{\"id\":\"ann\",\"name\":\"Mallory\"}"), listed(topic));
        track("i-b", topic, verified("ann", "Ann"));
        assertEquals(List.of("{\"id\":\"ann\",\"name\":\"Ann\"}"), listed(topic));
        release("i-a", topic, Viewer.bare("ann"));
        release("i-b", topic, Viewer.bare("ann"));
        track("i-a", topic, viewer("ann", "Someone"));
        assertEquals(
                List.of("{\"id\":\"ann\",\"name\":\"Someone\"}"),
                listed(topic),
                "once the viewer has left there is nothing verified left to protect");
        assertEquals(List.of("viewer_joined ann 1", "viewer_left ann 0", "viewer_joined ann 1"), told(topic));
        assertEquals("Ann", events(topic).get(1).get("viewer").get("name").asText());
    }

    @Test
    void anUnverifiedJoinOverVerifiedDataLeftByAnExpiredViewerShowsTheNewClaim() {
        Topic topic = newEntity();
        track(PresenceStore.API, topic, verified("ann", "Ann"));
        pass(TTL.plusMillis(50));
        track("i-a", topic, viewer("ann", "Mallory"));
        assertEquals(List.of("viewer_joined ann 1", "viewer_left ann 0", "viewer_joined ann 1"), told(topic));
        assertEquals("Mallory", events(topic).get(2).get("viewer").get("name").asText());
    }

    @Test
    void eventsHaveThePublishedShapeButThePublishApiRefusesThem() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("ann", "Ann"));
        release("i-a", topic, viewer("ann", "Ann"));
        EventFactory factory = new EventFactory(
                new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS), Clock.systemUTC());
        for (JsonNode event : events(topic)) {
            List<String> fields = new ArrayList<>();
            event.fieldNames().forEachRemaining(fields::add);
            assertEquals(
                    List.of("action", "viewer", "count", "entityType", "entityId", "channel", "timestamp"), fields);
            assertEquals("trip", event.get("entityType").asText());
            assertEquals(topic.id(), event.get("entityId").asText());
            assertEquals("presence", event.get("channel").asText());
            Instant.parse(event.get("timestamp").asText());
            // The hub's own events: the app cannot publish them (422), so it cannot forge a count.
            InvalidEventException refused = assertThrows(
                    InvalidEventException.class,
                    () -> factory.create(topic, event.toString().getBytes(StandardCharsets.UTF_8)));
            assertEquals(InvalidEventException.Kind.ACTION_NOT_ALLOWED, refused.kind());
        }
    }

    @Test
    void renewingOrASecondHolderDoesNotJoinAgain() {
        Topic topic = newEntity();
        assertEquals(List.of(true), track("i-a", topic, viewer("ann", "Ann")).changed());
        assertEquals(List.of(false), track("i-a", topic, viewer("ann", "Ann")).changed());
        assertEquals(List.of(false), track("i-b", topic, viewer("ann", "Ann")).changed());
        assertEquals(
                List.of(false),
                track(PresenceStore.API, topic, viewer("ann", "Ann")).changed());
        assertEquals(List.of("viewer_joined ann 1"), told(topic));
        assertEquals(1, snapshot(topic).count());
    }

    @Test
    void theViewerLeavesOnlyWhenItsLastLeaseIsReleased() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("ann", "Ann"));
        track("i-b", topic, viewer("ann", "Ann"));
        PresenceUpdate firstGone = release("i-a", topic, Viewer.bare("ann"));
        assertEquals(List.of(false), firstGone.changed());
        assertEquals(Map.of(topic, 1), firstGone.counts());
        PresenceUpdate lastGone = release("i-b", topic, Viewer.bare("ann"));
        assertEquals(List.of(true), lastGone.changed());
        assertEquals(Map.of(topic, 0), lastGone.counts());
        assertEquals(List.of("viewer_joined ann 1", "viewer_left ann 0"), told(topic));
        assertEquals(
                "{\"id\":\"ann\",\"name\":\"Ann\"}",
                events(topic).get(1).get("viewer").toString(),
                "the left event carries the display data kept with the viewer");
    }

    @Test
    void releasingAViewerThatIsNotPresentOrByAnotherHolderChangesNothing() {
        Topic topic = newEntity();
        assertEquals(List.of(false), release("i-a", topic, Viewer.bare("ann")).changed());
        track("i-a", topic, viewer("ann", "Ann"));
        assertEquals(List.of(false), release("i-b", topic, Viewer.bare("ann")).changed());
        assertEquals(List.of("viewer_joined ann 1"), told(topic));
    }

    @Test
    void aRenewedViewerOutlivesTheTtl() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("ann", "Ann"));
        pass(TTL.multipliedBy(6).dividedBy(10));
        track("i-a", topic, viewer("ann", "Ann"));
        pass(TTL.multipliedBy(6).dividedBy(10));
        assertEquals(1, snapshot(topic).count());
        assertEquals(List.of("viewer_joined ann 1"), told(topic));
    }

    @Test
    void anExpiredViewerLeavesExactlyOnceWhoeverPrunesFirst() throws Exception {
        Topic topic = newEntity();
        track("i-a", topic, viewer("ann", "Ann"), viewer("bob", "Bob"));
        pass(TTL.plusMillis(50));
        // Own threads, not the common pool: after Quarkus tests its threads carry another class loader.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> racers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String holder = "i-" + i;
            int kind = i % 3;
            racers.add(pool.submit(() -> switch (kind) {
                case 0 -> snapshot(topic);
                case 1 -> release(holder, topic, Viewer.bare("ann"));
                default ->
                    store().track(holder, List.of(), List.of(topic)).await().atMost(WAIT);
            }));
        }
        for (Future<?> racer : racers) {
            racer.get();
        }
        pool.shutdown();
        // Whoever prunes first tells both, earliest expiry first and then by id, the count falling to 0.
        assertEquals(
                List.of("viewer_joined ann 1", "viewer_joined bob 2", "viewer_left ann 1", "viewer_left bob 0"),
                told(topic));
        assertEquals(0, snapshot(topic).count());
    }

    @Test
    void aViewerStaysWhileAnyLeaseIsLiveAndLeavesWhenTheLastLiveOneIsReleased() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("ann", "Ann"));
        track("i-dead", topic, viewer("ann", "Ann"));
        pass(TTL.multipliedBy(6).dividedBy(10));
        track("i-a", topic, viewer("ann", "Ann"));
        pass(TTL.multipliedBy(6).dividedBy(10)); // i-dead's lease has expired, i-a's has not
        assertEquals(1, snapshot(topic).count());
        assertEquals(
                List.of(true),
                release("i-a", topic, Viewer.bare("ann")).changed(),
                "an expired lease of another holder does not keep the viewer");
        assertEquals(List.of("viewer_joined ann 1", "viewer_left ann 0"), told(topic));
    }

    @Test
    void aPruneOfSeveralExpiredViewersCountsDownToTheRemainingOnes() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("a", "A"), viewer("b", "B"), viewer("c", "C"));
        pass(TTL.multipliedBy(6).dividedBy(10));
        track("i-b", topic, viewer("d", "D"));
        pass(TTL.multipliedBy(6).dividedBy(10));
        assertEquals(
                Map.of(topic, 1),
                store().track("i-c", List.of(), List.of(topic))
                        .await()
                        .atMost(WAIT)
                        .counts());
        assertEquals(
                List.of(
                        "viewer_joined a 1",
                        "viewer_joined b 2",
                        "viewer_joined c 3",
                        "viewer_joined d 4",
                        "viewer_left a 3",
                        "viewer_left b 2",
                        "viewer_left c 1"),
                told(topic));
    }

    @Test
    void aSnapshotHasTheViewersWithTheirDisplayDataAndTheHeadOfTheirEvents() {
        Topic topic = newEntity();
        assertEquals(0, snapshot(topic).count());
        assertEquals("0-0", snapshot(topic).head().toString(), "no event yet: the start position");
        track("i-a", topic, viewer("ann", "Ann"), viewer("bob", "Bob"));
        track("i-a", topic, viewer("ann", "Annie")); // a renewal brings the newest display data
        PresenceSnapshot snapshot = snapshot(topic);
        assertEquals(2, snapshot.count());
        assertEquals(
                Set.of("{\"id\":\"ann\",\"name\":\"Annie\"}", "{\"id\":\"bob\",\"name\":\"Bob\"}"),
                Set.copyOf(snapshot.viewers()));
        assertEquals(log().readAfter(topic, null).await().atMost(WAIT).head(), snapshot.head());
        assertEquals(
                "{\"action\":\"presence_snapshot\",\"viewers\":[" + String.join(",", snapshot.viewers())
                        + "],\"count\":2}",
                snapshot.json());
    }

    @Test
    void aSnapshotListsAtMostTheLimitLatestRenewedFirstButCountsEveryone() {
        Topic topic = newEntity();
        track("i-a", topic, viewer("a", "A"), viewer("b", "B"));
        pass(Duration.ofMillis(20));
        track("i-a", topic, viewer("c", "C"), viewer("d", "D"), viewer("e", "E"));
        PresenceSnapshot snapshot = snapshot(topic);
        assertEquals(5, snapshot.count());
        assertEquals(Set.of("c", "d", "e"), ids(snapshot));
    }

    @Test
    void oneCallCoversManyEntitiesWithACountForEachIncludingThoseOnlyPruned() {
        Topic a = newEntity();
        Topic b = newEntity();
        Topic quiet = newEntity();
        PresenceUpdate update = store().track(
                        "i-a",
                        List.of(
                                new Lease(a, viewer("ann", "Ann")),
                                new Lease(b, viewer("bob", "Bob")),
                                new Lease(a, viewer("cy", "Cy"))),
                        List.of(quiet, a))
                .await()
                .atMost(WAIT);
        assertEquals(List.of(true, true, true), update.changed());
        assertEquals(Map.of(a, 2, b, 1, quiet, 0), update.counts());
        PresenceUpdate released = store().release(
                        "i-a",
                        List.of(
                                new Lease(b, Viewer.bare("bob")),
                                new Lease(a, Viewer.bare("nobody")),
                                new Lease(a, Viewer.bare("ann"))))
                .await()
                .atMost(WAIT);
        assertEquals(List.of(true, false, true), released.changed());
        assertEquals(Map.of(a, 1, b, 0), released.counts());
        assertEquals(List.of("viewer_joined ann 1", "viewer_joined cy 2", "viewer_left ann 1"), told(a));
        assertTrue(told(quiet).isEmpty());
    }

    @Test
    void entitiesAreIsolated() {
        Topic a = newEntity();
        Topic b = new Topic(EntityType.BLOG, a.id(), Channel.PRESENCE);
        track("i-a", a, viewer("ann", "Ann"));
        assertEquals(0, snapshot(b).count());
        assertTrue(told(b).isEmpty());
    }
}
