package dev.eventhub.api;

import dev.eventhub.topic.Topic;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code topic} parameters of a multiplexed stream, as distinct topics in the order given. */
final class TopicQuery {

    /** More parameters than this are refused before any is parsed (a repeated topic counts once after). */
    private static final int MAX_PARAMETERS = 1000;

    private TopicQuery() {}

    /**
     * @throws BadQueryException 400: no topic, more than {@code maxTopics} distinct ones, or one not
     *         of the form {@code type/id/channel}
     * @throws dev.eventhub.topic.TopicException 404 for an unknown type or channel, 400 for a bad id
     */
    static List<Topic> parse(List<String> values, int maxTopics) {
        if (values == null || values.isEmpty()) {
            throw new BadQueryException("Name at least one topic: ?topic=trip/123/comments&topic=trip/123/likes.");
        }
        if (values.size() > MAX_PARAMETERS) {
            throw tooMany(maxTopics);
        }
        Set<Topic> topics = new LinkedHashSet<>();
        for (String value : values) {
            String[] segments = value == null ? new String[0] : value.split("/", -1);
            if (segments.length != 3) {
                throw new BadQueryException("Each topic is type/id/channel, such as trip/123/comments.");
            }
            topics.add(Topic.parse(segments[0], segments[1], segments[2]));
        }
        if (topics.size() > maxTopics) {
            throw tooMany(maxTopics);
        }
        return new ArrayList<>(topics);
    }

    private static BadQueryException tooMany(int maxTopics) {
        return new BadQueryException("A stream carries at most " + maxTopics + " distinct topics.");
    }
}
