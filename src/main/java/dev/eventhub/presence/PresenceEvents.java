package dev.eventhub.presence;

import dev.eventhub.topic.Topic;
import java.time.Instant;

/**
 * The JSON of {@code viewer_joined} and {@code viewer_left}: the shape of a published event (action
 * and fields, then {@code entityType}, {@code entityId}, {@code channel}, {@code timestamp}), so the
 * app reads them like any other. presence.lua builds the same text for the Redis store.
 */
public final class PresenceEvents {

    public static final String JOINED = "viewer_joined";
    public static final String LEFT = "viewer_left";

    private PresenceEvents() {}

    /** Every part is a constant, a validated id, a viewer's JSON object or a number: nothing to escape. */
    public static String json(Topic topic, String action, String viewerJson, int count, Instant timestamp) {
        return "{\"action\":\"" + action + "\",\"viewer\":" + viewerJson + ",\"count\":" + count
                + ",\"entityType\":\"" + topic.type().segment() + "\",\"entityId\":\"" + topic.id()
                + "\",\"channel\":\"" + topic.channel().segment() + "\",\"timestamp\":\"" + timestamp + "\"}";
    }
}
