package dev.eventhub.fanout;

import dev.eventhub.event.EventId;

/**
 * Where a new stream starts: live only (no {@code Last-Event-ID}), after a given id, or from an id
 * that cannot be parsed (which gets a resync, never a guess).
 */
record Resume(String raw, EventId after) {

    static final Resume LIVE = new Resume(null, null);

    static Resume from(String lastEventId) {
        if (lastEventId == null || lastEventId.isEmpty()) {
            return LIVE;
        }
        return new Resume(lastEventId, EventId.parse(lastEventId).orElse(null));
    }

    /** After {@code after}, read from {@code raw} (a multiplexed stream's cursor). */
    static Resume after(String raw, EventId after) {
        return new Resume(raw, after);
    }

    /** From {@code raw}, which names no position we can trust: a resync. */
    static Resume malformedAt(String raw) {
        return new Resume(raw, null);
    }

    boolean live() {
        return raw == null;
    }

    boolean malformed() {
        return raw != null && after == null;
    }
}
