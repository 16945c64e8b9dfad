package dev.eventhub.event;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SSE frame: any of {@code id}, {@code data} (one line of JSON), a comment and {@code retry}.
 * Never an {@code event:} name, so browsers' {@code onmessage} sees every event.
 *
 * <p>A frame is built once per instance and the same object goes to every local subscriber; its
 * wire form ({@link #wire}) is encoded on first use and then shared, so delivering an event to
 * many connections costs no per-connection formatting, object or copy.
 */
public final class Frame {

    private static final Frame HEARTBEAT = new Frame(null, null, null, "", -1, false, true, null);

    private final String id;
    /** The topic position this frame moves its stream to; null for frames of the connection itself. */
    private final EventId position;

    private final String data;
    private final String comment;
    private final long retryMillis;
    /** Whether the data is a message of the hub itself (resync, snapshot), not a published event. */
    private final boolean fromHub;

    /** Whether this frame goes to many streams (its wire bytes are then shared, in direct memory). */
    private final boolean shared;

    /**
     * The frame whose {@code data:} bytes this one writes as its own (a multiplexed stream's copy of
     * a topic's event under its cursor), or null.
     */
    private final Frame dataOf;

    private volatile Buffer wire;
    /** Streams holding this frame in their queues: its bytes count once over all of them. */
    private final AtomicInteger queuedBy = new AtomicInteger();

    private Frame(
            String id,
            EventId position,
            String data,
            String comment,
            long retryMillis,
            boolean fromHub,
            boolean shared,
            Frame dataOf) {
        this.dataOf = dataOf;
        this.id = id;
        this.position = position;
        this.data = data;
        this.comment = comment;
        this.retryMillis = retryMillis;
        this.fromHub = fromHub;
        this.shared = shared;
    }

    /** The opening frame: {@code retry:} only, written at once so {@code EventSource.onopen} fires. */
    public static Frame open(long retryMillis) {
        return new Frame(null, null, null, null, retryMillis, false, false, null);
    }

    /** An event from the log. */
    public static Frame event(StoredEvent event) {
        return new Frame(event.id().toString(), event.id(), event.json(), null, -1, false, true, null);
    }

    /**
     * An {@code id:} with no data: browsers take it as their last event id without firing
     * {@code onmessage}, so a stream that has seen no event yet still resumes from the right place.
     */
    public static Frame position(EventId id) {
        return new Frame(id.toString(), id, null, null, -1, false, false, null);
    }

    /** A multiplexed stream's position: its cursor as {@code id:}, no data. */
    public static Frame cursor(String cursor) {
        return new Frame(cursor, null, null, null, -1, false, false, null);
    }

    /** A message carrying {@code data} (hub-made JSON, one line) at position {@code id}. */
    public static Frame message(EventId id, String json) {
        return new Frame(id.toString(), id, json, null, -1, true, true, null);
    }

    /**
     * {@code newData} under another {@code id} (a multiplexed stream's cursor, or null for none),
     * with no topic position of its own: what a multiplexed stream writes for a topic's frame.
     */
    public static Frame withId(String cursor, String newData) {
        return new Frame(cursor, null, newData, null, -1, false, false, null);
    }

    /**
     * {@code source}'s data under another {@code id} (a multiplexed stream's cursor): the same
     * bytes as {@link #withId}, but its {@code data:} line is written from {@code source}'s shared
     * wire bytes, so only the {@code id:} line is made per stream. For a published event's frame
     * (no comment, no retry, data as published); any other frame gets {@link #withId}.
     */
    public static Frame relabelled(String cursor, Frame source) {
        if (cursor == null
                || !source.shared
                || source.fromHub
                || source.data == null
                || source.comment != null
                || source.retryMillis >= 0) {
            return withId(cursor, source.data);
        }
        return new Frame(cursor, null, source.data, null, -1, false, false, source);
    }

    /** The frame whose wire bytes after its {@code id:} line this frame shares, or null. */
    Frame dataOf() {
        return dataOf;
    }

    /** A comment line that keeps idle connections open. */
    public static Frame heartbeat() {
        return HEARTBEAT;
    }

    public String id() {
        return id;
    }

    /** About the bytes this frame takes on the wire, for the bounds on what a stream may hold. */
    public int size() {
        return 16
                + (id == null ? 0 : id.length())
                + (data == null ? 0 : data.length())
                + (comment == null ? 0 : comment.length());
    }

    /** The topic position this frame moves its stream to, or null (retry, heartbeat, cursor frames). */
    public EventId position() {
        return position;
    }

    /** Whether {@link #data()} is the hub's own message (resync, presence snapshot), not an event. */
    public boolean fromHub() {
        return fromHub;
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
     * The frame's SSE bytes ({@link SseWire}), encoded the first time and the same buffer after: every
     * stream writes it as it is (Vert.x writes a view of it, never a copy). Racing first calls may
     * both encode; the results are equal, and one of them is kept.
     */
    public Buffer wire() {
        Buffer value = wire;
        if (value == null) {
            value = SseWire.encode(this, shared);
            wire = value;
        }
        return value;
    }

    /** The bytes this frame adds to what all queues hold: its size for the first queue, else nothing. */
    public int queued() {
        return queuedBy.getAndIncrement() == 0 ? size() : 0;
    }

    /** The bytes a queue giving this frame up frees: its size when it was the last queue holding it. */
    public int dequeued() {
        return queuedBy.decrementAndGet() == 0 ? size() : 0;
    }
}
