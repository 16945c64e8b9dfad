package dev.eventhub.event;

import java.util.function.Function;

/**
 * One SSE frame: any of {@code id}, {@code data} (one line of JSON), a comment and {@code retry}.
 * Never an {@code event:} name, so browsers' {@code onmessage} sees every event.
 *
 * <p>A frame is built once per instance and the same object goes to every local subscriber; its
 * wire form ({@link #encoded}) is computed on first use and then shared, so delivering an event to
 * many connections costs no per-connection JSON or object work.
 */
public final class Frame {

    private static final Frame HEARTBEAT = new Frame(null, null, "", -1);

    private final String id;
    private final String data;
    private final String comment;
    private final long retryMillis;
    private volatile Object encoded;

    private Frame(String id, String data, String comment, long retryMillis) {
        this.id = id;
        this.data = data;
        this.comment = comment;
        this.retryMillis = retryMillis;
    }

    /** The opening frame: {@code retry:} only, written at once so {@code EventSource.onopen} fires. */
    public static Frame open(long retryMillis) {
        return new Frame(null, null, null, retryMillis);
    }

    /** An event from the log. */
    public static Frame event(StoredEvent event) {
        return new Frame(event.id().toString(), event.json(), null, -1);
    }

    /**
     * An {@code id:} with no data: browsers take it as their last event id without firing
     * {@code onmessage}, so a stream that has seen no event yet still resumes from the right place.
     */
    public static Frame position(EventId id) {
        return new Frame(id.toString(), null, null, -1);
    }

    /** A message carrying {@code data} (hub-made JSON, one line) at position {@code id}. */
    public static Frame message(EventId id, String json) {
        return new Frame(id.toString(), json, null, -1);
    }

    /** A comment line that keeps idle connections open. */
    public static Frame heartbeat() {
        return HEARTBEAT;
    }

    public String id() {
        return id;
    }

    public String data() {
        return data;
    }

    public String comment() {
        return comment;
    }

    public long retryMillis() {
        return retryMillis;
    }

    /**
     * The frame in the caller's wire type, built by {@code encoder} the first time and shared after.
     * Racing first calls may both encode; either result is equal, and one of them is kept.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(Function<Frame, T> encoder) {
        Object value = encoded;
        if (value == null) {
            value = encoder.apply(this);
            encoded = value;
        }
        return (T) value;
    }
}
