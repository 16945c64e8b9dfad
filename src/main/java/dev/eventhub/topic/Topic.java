package dev.eventhub.topic;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A validated topic, {@code {type}/{id}/{channel}}. Every value of this type is safe to use in a
 * Redis key, a log line and an SSE stream: the id is 1 to 128 characters of letters, digits,
 * {@code -}, {@code _} and {@code .}, so it can never carry a separator, a wildcard or a line break.
 */
public record Topic(EntityType type, String id, Channel channel) {

    public static final int MAX_ID_LENGTH = 128;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID_LENGTH + "}");

    public Topic {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(channel, "channel");
        if (!isValidId(id)) {
            throw new IllegalArgumentException("invalid entity id");
        }
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Parses the three path segments of a topic.
     *
     * @throws TopicException naming which segment is wrong, so the caller can answer 404 or 400
     */
    public static Topic parse(String type, String id, String channel) {
        EntityType entityType = EntityType.fromSegment(type)
                .orElseThrow(() -> new TopicException(
                        TopicException.Kind.UNKNOWN_TYPE,
                        "Unknown entity type; expected one of trip, location, post, blog."));
        Channel ch = Channel.fromSegment(channel)
                .orElseThrow(() -> new TopicException(
                        TopicException.Kind.UNKNOWN_CHANNEL,
                        "Unknown channel; expected one of comments, rating, likes, saves, presence, images."));
        if (!isValidId(id)) {
            throw new TopicException(
                    TopicException.Kind.INVALID_ID,
                    "Entity id must be 1 to 128 characters of letters, digits, '-', '_' or '.'.");
        }
        return new Topic(entityType, id, ch);
    }

    /** {@code trip/123/comments}: the name used in keys, logs and JSON. */
    public String name() {
        return type.segment() + "/" + id + "/" + channel.segment();
    }

    @Override
    public String toString() {
        return name();
    }
}
