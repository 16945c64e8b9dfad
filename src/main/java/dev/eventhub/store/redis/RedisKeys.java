package dev.eventhub.store.redis;

import dev.eventhub.topic.Topic;

/**
 * Key naming. Every key of a topic carries the hash tag {@code {type/id/channel}}, so a Lua script
 * that touches several of them stays within one slot on a Redis Cluster or a sharded managed Redis.
 */
public record RedisKeys(String prefix) {

    public String head(Topic topic) {
        return tagged(topic, "head");
    }

    public String log(Topic topic) {
        return tagged(topic, "log");
    }

    /** {@code <prefix>{type/id/channel}:<name>}: a key in the topic's slot (presence keeps its sets there). */
    public String tagged(Topic topic, String name) {
        return prefix + "{" + topic.name() + "}:" + name;
    }

    /** The pub/sub channel that publishes announce themselves on. */
    String notifyChannel() {
        return prefix + "notify";
    }
}
