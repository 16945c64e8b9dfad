package dev.eventhub.security;

import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which topics are private: those of the listed entity types, or all of them with {@code require-token}. */
public final class TopicPolicy {

    private final Set<EntityType> privateTypes;
    private final boolean all;

    private TopicPolicy(Set<EntityType> privateTypes, boolean all) {
        this.privateTypes = privateTypes;
        this.all = all;
    }

    /**
     * @throws IllegalArgumentException naming an entry of {@code types} that is no entity type, so a
     *         typo fails the start instead of leaving a type public
     */
    public static TopicPolicy of(Optional<List<String>> types, boolean requireToken) {
        Set<EntityType> set = EnumSet.noneOf(EntityType.class);
        for (String entry : types.orElse(List.of())) {
            String name = entry == null ? "" : entry.trim();
            if (name.isEmpty()) {
                continue;
            }
            set.add(EntityType.fromSegment(name)
                    .orElseThrow(() -> new IllegalArgumentException("realtime.private-types: \"" + name
                            + "\" is not an entity type; expected trip, location, post or blog")));
        }
        return new TopicPolicy(set, requireToken);
    }

    public boolean isPrivate(Topic topic) {
        return all || privateTypes.contains(topic.type());
    }

    public boolean anyPrivate() {
        return all || !privateTypes.isEmpty();
    }

    @Override
    public String toString() {
        return all
                ? "every topic is private"
                : privateTypes.isEmpty()
                        ? "every topic is public"
                        : "private types: "
                                + privateTypes.stream().map(EntityType::segment).toList();
    }
}
