package dev.eventhub.fanout;

import dev.eventhub.event.EventId;
import dev.eventhub.event.Frame;
import dev.eventhub.event.TopicFields;
import dev.eventhub.topic.Topic;
import java.util.ArrayList;
import java.util.List;

/**
 * The cursor of one multiplexed stream: each topic's position, and the frames to write for each
 * topic frame. Every written frame's {@code id:} is the cursor after it, so the browser's
 * {@code Last-Event-ID} always names, for every topic, the last position it was given.
 *
 * <p>A topic whose position the cursor cannot name yet (a fresh topic, a presence topic, one whose
 * resume id was garbage) holds the stream back until its first frame (position, snapshot or resync)
 * arrives; then the hub's own messages among those first frames are written, only the last of them
 * with an {@code id:} (so a connection lost in between resumes exactly as before), or a bare
 * position frame when there are none, and then everything held, in order. Not thread-safe: its
 * connection calls it from one thread at a time.
 */
final class Multiplex {

    private record Held(int slot, Frame frame, boolean first) {}

    private final String[] tags;
    private final String[] entries;
    /** What goes in front of the hub's own messages so they name their topic like an event does. */
    private final String[] routing;

    private int unknown;
    private List<Held> held;

    Multiplex(List<Topic> topics, Resume[] resumes) {
        int n = topics.size();
        tags = new String[n];
        entries = new String[n];
        routing = new String[n];
        for (int i = 0; i < n; i++) {
            Topic topic = topics.get(i);
            tags[i] = StreamCursor.tag(topic);
            routing[i] = TopicFields.prefix(topic);
            if (resumes[i].after() != null) {
                entries[i] = StreamCursor.entry(tags[i], resumes[i].after());
            } else {
                unknown++;
            }
        }
        held = unknown > 0 ? new ArrayList<>() : null;
    }

    /** The frames to write for {@code frame} of topic {@code slot} (none while holding). */
    List<Frame> accept(int slot, Frame frame) {
        if (held == null) {
            move(slot, frame.position());
            return frame.data() == null ? List.of() : List.of(relabel(cursor(), slot, frame));
        }
        boolean first = entries[slot] == null && frame.position() != null && !isFirstHeld(slot);
        held.add(new Held(slot, frame, first));
        if (first) {
            unknown--;
        }
        return unknown > 0 ? List.of() : release();
    }

    private boolean isFirstHeld(int slot) {
        for (Held h : held) {
            if (h.first() && h.slot() == slot) {
                return true;
            }
        }
        return false;
    }

    private List<Frame> release() {
        List<Held> all = held;
        held = null;
        List<Held> messages = new ArrayList<>();
        for (Held h : all) {
            if (h.first()) {
                move(h.slot(), h.frame().position());
                if (h.frame().data() != null) {
                    messages.add(h);
                }
            }
        }
        List<Frame> out = new ArrayList<>();
        for (int k = 0; k < messages.size(); k++) {
            Held h = messages.get(k);
            out.add(relabel(k == messages.size() - 1 ? cursor() : null, h.slot(), h.frame()));
        }
        if (messages.isEmpty()) {
            out.add(Frame.cursor(cursor()));
        }
        for (Held h : all) {
            if (!h.first()) {
                out.addAll(accept(h.slot(), h.frame()));
            }
        }
        return out;
    }

    private void move(int slot, EventId position) {
        if (position != null) {
            entries[slot] = StreamCursor.entry(tags[slot], position);
        }
    }

    /** The topic's frame under {@code cursor}; an event's data bytes are shared, not copied. */
    private Frame relabel(String cursor, int slot, Frame frame) {
        return frame.fromHub() ? Frame.withId(cursor, data(slot, frame)) : Frame.relabelled(cursor, frame);
    }

    private String data(int slot, Frame frame) {
        return frame.fromHub() ? routing[slot] + frame.data().substring(1) : frame.data();
    }

    /** The cursor now; topics with no position yet are left out (they start live on a resume). */
    String cursor() {
        List<String> known = new ArrayList<>(entries.length);
        for (String entry : entries) {
            if (entry != null) {
                known.add(entry);
            }
        }
        return StreamCursor.encode(known.toArray(String[]::new));
    }
}
