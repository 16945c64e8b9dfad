package dev.eventhub.security;

import dev.eventhub.topic.Channel;
import dev.eventhub.topic.EntityType;
import dev.eventhub.topic.Topic;
import java.util.Optional;

/**
 * One entry of a subscriber token's {@code topics} claim: a topic, or a topic with {@code *} in
 * place of whole segments. {@code *} matches exactly one whole segment, so {@code trip/123/*}
 * grants every channel of trip 123, {@code trip/*}{@code /comments} the comments of every trip,
 * and {@code *}{@code /*}{@code /*} everything. There is no partial wildcard ({@code trip/12*}{@code /comments})
 * and no multi-segment one ({@code trip/**}): such an entry makes the whole token invalid, so a
 * mistake in the app's signing code shows up at once instead of silently granting less or more.
 *
 * @param type the entity type, or null for {@code *}
 * @param id the entity id, or null for {@code *}
 * @param channel the channel, or null for {@code *}
 */
public record TopicPattern(EntityType type, String id, Channel channel) {

    static final String ANY = "*";

    /** Parses one entry; empty when it is neither a topic nor a topic with whole-segment wildcards. */
    public static Optional<TopicPattern> parse(String text) {
        if (text == null || text.length() > 200) {
            return Optional.empty();
        }
        String[] segments = text.split("/", -1);
        if (segments.length != 3) {
            return Optional.empty();
        }
        EntityType type = null;
        if (!ANY.equals(segments[0])) {
            Optional<EntityType> parsed = EntityType.fromSegment(segments[0]);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            type = parsed.get();
        }
        String id = null;
        if (!ANY.equals(segments[1])) {
            if (!Topic.isValidId(segments[1])) {
                return Optional.empty();
            }
            id = segments[1];
        }
        Channel channel = null;
        if (!ANY.equals(segments[2])) {
            Optional<Channel> parsed = Channel.fromSegment(segments[2]);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            channel = parsed.get();
        }
        return Optional.of(new TopicPattern(type, id, channel));
    }

    public boolean matches(Topic topic) {
        return (type == null || type == topic.type())
                && (id == null || id.equals(topic.id()))
                && (channel == null || channel == topic.channel());
    }

    @Override
    public String toString() {
        return (type == null ? ANY : type.segment()) + "/" + (id == null ? ANY : id) + "/"
                + (channel == null ? ANY : channel.segment());
    }
}
