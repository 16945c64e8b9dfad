package dev.eventhub.topic;

import java.util.Locale;
import java.util.Optional;

/** The kinds of entity the web app publishes about. The path segment is the lower-case name. */
public enum EntityType {
    TRIP,
    LOCATION,
    POST,
    BLOG;

    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EntityType> fromSegment(String segment) {
        for (EntityType type : values()) {
            if (type.segment().equals(segment)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
