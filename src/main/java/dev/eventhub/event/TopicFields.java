package dev.eventhub.event;

import dev.eventhub.topic.Topic;

/**
 * The fields that name an event's topic, {@code entityType}, {@code entityId} and {@code channel},
 * put in front of the hub's own messages on a multiplexed stream so that a client routes them by
 * the same three fields as events. Topic values are validated, so no escaping is needed.
 */
public final class TopicFields {

    private TopicFields() {}

    /** {@code {"entityType":"trip","entityId":"123","channel":"comments",}: a JSON object's opening. */
    public static String prefix(Topic topic) {
        return "{\"entityType\":\"" + topic.type().segment() + "\",\"entityId\":\"" + topic.id() + "\",\"channel\":\""
                + topic.channel().segment() + "\",";
    }

    /** {@code json} (a non-empty JSON object made by the hub) with the topic's fields first. */
    public static String routed(Topic topic, String json) {
        return prefix(topic) + json.substring(1);
    }
}
