package dev.eventhub.presence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventhub.event.EventFactory;
import dev.eventhub.event.Frame;
import dev.eventhub.fanout.Fanout;
import dev.eventhub.fanout.TopicOpening;
import dev.eventhub.security.NotAuthenticatedException;
import dev.eventhub.topic.Topic;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Presence as the API offers it: track, remove and list viewers for the app's server, and presence
 * streams for browsers, which open with a snapshot and keep their viewer present while they last.
 */
public final class PresenceService {

    /** What a track or remove did: the viewer, whether it joined (or left), and the count after. */
    public record Change(Topic topic, Viewer viewer, boolean changed, int count) {}

    private final PresenceStore store;
    private final PresenceTracker tracker;
    private final Fanout fanout;
    private final EventFactory events;
    private final ObjectMapper mapper;
    private final int maxDisplayBytes;
    private final long retryMillis;
    private final boolean anonymousViewers;

    /**
     * @param events parses display data bodies, as it parses publish bodies
     * @param mapper writes viewers' JSON
     * @param anonymousViewers whether a stream may declare its viewer without a token
     *        ({@code ?viewer=} alone); when false such a stream is refused (401)
     */
    public PresenceService(
            PresenceStore store,
            PresenceTracker tracker,
            Fanout fanout,
            EventFactory events,
            ObjectMapper mapper,
            int maxDisplayBytes,
            Duration retry,
            boolean anonymousViewers) {
        this.store = store;
        this.tracker = tracker;
        this.fanout = fanout;
        this.events = events;
        this.mapper = mapper;
        this.maxDisplayBytes = maxDisplayBytes;
        this.retryMillis = retry.toMillis();
        this.anonymousViewers = anonymousViewers;
    }

    /**
     * Makes the viewer present through the HTTP API for the TTL (the app calls again to stay), with
     * the display data of {@code body}: empty, or a JSON object of at most the configured size. The
     * app's server holds the publish key, so its display data is verified.
     */
    public Uni<Change> track(Topic topic, String viewerId, byte[] body) {
        Viewer viewer = viewer(viewerId, displayFromBody(body), true);
        return store.track(PresenceStore.API, List.of(new Lease(topic, viewer)), List.of())
                .invoke(tracker::noted)
                .map(update -> new Change(
                        topic, viewer, update.changed().get(0), update.counts().get(topic)));
    }

    /** Ends the HTTP API's lease on the viewer; it leaves unless it is also present through a stream. */
    public Uni<Change> remove(Topic topic, String viewerId) {
        requireId(viewerId);
        Viewer viewer = Viewer.bare(viewerId);
        return store.release(PresenceStore.API, List.of(new Lease(topic, viewer)))
                .invoke(tracker::noted)
                .map(update -> new Change(
                        topic, viewer, update.changed().get(0), update.counts().get(topic)));
    }

    /** The viewers present now (pruned first). */
    public Uni<PresenceSnapshot> list(Topic topic) {
        return store.snapshot(topic);
    }

    /**
     * A presence stream: {@code retry:}, then the snapshot at the topic's head, then every
     * {@code viewer_joined} / {@code viewer_left} after that head. With a {@code viewerId} the
     * viewer is present while the stream lasts (this instance renews it); without, it only watches.
     * A stream whose snapshot cannot be read ends, and the browser retries.
     *
     * @param verified whether {@code viewerId} is a token's verified {@code sub} (else it is the
     *        client's unverified claim, whose display data never replaces verified data)
     * @param display display data for the viewer (e.g. {@code name}, {@code avatarUrl}); null values are left out
     * @throws InvalidViewerException before the stream starts, for a bad id or too much display data
     * @throws NotAuthenticatedException before the stream starts, for an unverified viewer when
     *         anonymous viewers are not accepted
     */
    public Multi<Frame> stream(Topic topic, String viewerId, boolean verified, Map<String, String> display) {
        Viewer viewer = claimed(viewerId, verified, display);
        return Multi.createFrom().deferred(() -> {
            PresenceTracker.Connection connection = tracker.connect(topic, viewer);
            Multi<Frame> snapshotThenLive = connection
                    .ready()
                    .chain(() -> store.snapshot(topic))
                    .onItem()
                    .transformToMulti(snapshot -> Multi.createBy()
                            .concatenating()
                            .streams(
                                    Multi.createFrom().item(Frame.message(snapshot.head(), snapshot.json())),
                                    // From the snapshot's head: every change after it, none before it. The
                                    // fan-out's own opening retry: frame was sent already.
                                    fanout.subscribe(topic, snapshot.head().toString())
                                            .skip()
                                            .first()))
                    .onFailure()
                    .invoke(failure -> Log.infof(
                            "Ended a presence stream on %s before its snapshot (%s)", topic, failure.getMessage()))
                    .onFailure()
                    .recoverWithCompletion();
            return Multi.createBy()
                    .concatenating()
                    .streams(Multi.createFrom().item(Frame.open(retryMillis)), snapshotThenLive)
                    .onTermination()
                    .invoke(connection::close);
        });
    }

    /**
     * A presence topic of a multiplexed stream: it opens with the snapshot (whatever the stream's
     * cursor says) and continues after the snapshot's head; with a {@code viewerId} the viewer is
     * present while the stream lasts, as on {@link #stream}.
     *
     * @param verified as on {@link #stream}
     * @throws InvalidViewerException before the stream starts, for a bad id or too much display data
     * @throws NotAuthenticatedException as on {@link #stream}
     */
    public TopicOpening opening(Topic topic, String viewerId, boolean verified, Map<String, String> display) {
        Viewer viewer = claimed(viewerId, verified, display);
        return new TopicOpening() {
            private PresenceTracker.Connection connection;
            private boolean closed;

            @Override
            public Topic topic() {
                return topic;
            }

            @Override
            public synchronized Uni<Frame> lead() {
                if (closed) {
                    return Uni.createFrom().failure(new IllegalStateException("the stream ended"));
                }
                connection = tracker.connect(topic, viewer);
                return connection
                        .ready()
                        .chain(() -> store.snapshot(topic))
                        .map(snapshot -> Frame.message(snapshot.head(), snapshot.json()));
            }

            @Override
            public synchronized void close() {
                closed = true;
                if (connection != null) {
                    connection.close();
                }
            }
        };
    }

    /** The stream's viewer (null: it only watches), refused when unverified and anonymous viewers are not. */
    private Viewer claimed(String viewerId, boolean verified, Map<String, String> display) {
        if (viewerId == null) {
            return null;
        }
        if (!verified && !anonymousViewers) {
            throw new NotAuthenticatedException(
                    NotAuthenticatedException.Reason.TOKEN_MISSING,
                    "This hub takes a presence viewer only from a subscriber token's sub: send a token, "
                            + "or open the stream without viewer to only watch.");
        }
        return viewer(viewerId, displayFromFields(display), verified);
    }

    private Viewer viewer(String id, ObjectNode display, boolean verified) {
        requireId(id);
        ObjectNode json = mapper.createObjectNode().put("id", id);
        display.fields().forEachRemaining(field -> {
            if (!"id".equals(field.getKey())) { // the path's id is the viewer's id
                json.set(field.getKey(), field.getValue());
            }
        });
        try {
            return new Viewer(id, mapper.writeValueAsString(json), verified);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encoding a parsed JSON object failed", e);
        }
    }

    private static void requireId(String id) {
        if (!Topic.isValidId(id)) {
            throw new InvalidViewerException(
                    InvalidViewerException.Kind.INVALID_ID,
                    "Viewer id must be 1 to 128 characters of letters, digits, '-', '_' or '.'.");
        }
    }

    private ObjectNode displayFromBody(byte[] body) {
        if (body == null || body.length == 0) {
            return mapper.createObjectNode();
        }
        if (body.length > maxDisplayBytes) {
            throw new InvalidViewerException(
                    InvalidViewerException.Kind.DISPLAY_TOO_LARGE,
                    "Display data must be at most " + maxDisplayBytes + " bytes of JSON.");
        }
        return events.parseObject(body);
    }

    private ObjectNode displayFromFields(Map<String, String> fields) {
        ObjectNode display = mapper.createObjectNode();
        fields.forEach((name, value) -> {
            if (value != null) {
                display.put(name, value);
            }
        });
        if (display.toString().getBytes(StandardCharsets.UTF_8).length > maxDisplayBytes) {
            throw new InvalidViewerException(
                    InvalidViewerException.Kind.INVALID_DISPLAY,
                    "Display data (" + String.join(", ", fields.keySet()) + ") must be at most " + maxDisplayBytes
                            + " bytes as JSON.");
        }
        return display;
    }
}
