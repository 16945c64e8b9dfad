package dev.eventhub.topic;

import java.util.Locale;
import java.util.Optional;

/** The live channels of an entity. The path segment is the lower-case name. */
public enum Channel {
    COMMENTS,
    RATING,
    LIKES,
    SAVES,
    PRESENCE,
    IMAGES;

    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Channel> fromSegment(String segment) {
        for (Channel channel : values()) {
            if (channel.segment().equals(segment)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }
}
