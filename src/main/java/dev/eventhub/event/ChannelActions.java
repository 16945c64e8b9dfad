package dev.eventhub.event;

import static dev.eventhub.event.FieldRule.COUNT;
import static dev.eventhub.event.FieldRule.ID;
import static dev.eventhub.event.FieldRule.OBJECT_WITH_ID;
import static dev.eventhub.event.FieldRule.RATING;

import dev.eventhub.topic.Channel;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The actions each channel allows the app to publish and the fields each action needs (the app's
 * event types). The presence channel takes none: its {@code viewer_joined} / {@code viewer_left}
 * are the hub's own events, decided by the presence store from leases (docs/presence.md), so a
 * published one would corrupt every watcher's count.
 */
final class ChannelActions {

    private static final Map<Channel, Map<String, Map<String, FieldRule>>> RULES = new EnumMap<>(Channel.class);
    private static final Map<Channel, Set<String>> RULED = new EnumMap<>(Channel.class);

    static {
        on(Channel.COMMENTS, "new_comment", Map.of("comment", OBJECT_WITH_ID));
        on(Channel.COMMENTS, "comment_edited", Map.of("comment", OBJECT_WITH_ID));
        on(Channel.COMMENTS, "comment_deleted", Map.of("commentId", ID));
        on(Channel.RATING, "rating_updated", Map.of("rating", RATING));
        on(Channel.LIKES, "liked", Map.of("userId", ID, "count", COUNT));
        on(Channel.LIKES, "unliked", Map.of("userId", ID, "count", COUNT));
        on(Channel.SAVES, "saved", Map.of("userId", ID, "count", COUNT));
        on(Channel.SAVES, "unsaved", Map.of("userId", ID, "count", COUNT));
        on(Channel.IMAGES, "image_uploaded", Map.of("image", OBJECT_WITH_ID));
        on(Channel.IMAGES, "image_deleted", Map.of("imageId", ID));
        RULES.forEach((channel, actions) -> {
            Set<String> fields = new HashSet<>();
            actions.values().forEach(rules -> fields.addAll(rules.keySet()));
            RULED.put(channel, Set.copyOf(fields));
        });
    }

    private ChannelActions() {}

    private static void on(Channel channel, String action, Map<String, FieldRule> fields) {
        RULES.computeIfAbsent(channel, c -> new LinkedHashMap<>()).put(action, fields);
    }

    /** The required fields of {@code action} on {@code channel}, or null when it is not allowed there. */
    static Map<String, FieldRule> requiredFields(Channel channel, String action) {
        return RULES.getOrDefault(channel, Map.of()).get(action);
    }

    /** Every field some action of {@code channel} requires: the top-level values a body check reads. */
    static Set<String> ruledFields(Channel channel) {
        return RULED.getOrDefault(channel, Set.of());
    }

    static String allowedActions(Channel channel) {
        if (channel == Channel.PRESENCE) {
            return "none (viewer_joined and viewer_left are the hub's own events: presence streams and "
                    + "PUT/DELETE /api/presence make them)";
        }
        return String.join(", ", RULES.getOrDefault(channel, Map.of()).keySet());
    }
}
