package dev.eventhub.presence;

import dev.eventhub.event.EventId;
import java.util.List;

/**
 * An entity's presence at one instant: the viewers (each a JSON object, at most the configured
 * limit), how many are present in all, and the presence topic's head at that instant. Every
 * {@code viewer_joined} / {@code viewer_left} after {@code head} is a change after this snapshot,
 * and every one up to it is already in it.
 */
public record PresenceSnapshot(EventId head, int count, List<String> viewers) {

    /** The first message of a presence stream: {@code {"action":"presence_snapshot","viewers":[...],"count":N}}. */
    public String json() {
        return "{\"action\":\"presence_snapshot\",\"viewers\":" + viewersJson() + ",\"count\":" + count + "}";
    }

    /** The viewers as one JSON array. */
    public String viewersJson() {
        return "[" + String.join(",", viewers) + "]";
    }
}
