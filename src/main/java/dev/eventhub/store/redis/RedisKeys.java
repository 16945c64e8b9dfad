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

    /**
     * {@code <prefix>{type/id/channel}:idem:<key>}: where publish.lua remembers an
     * {@code Idempotency-Key} used on the topic, in the topic's slot (the key's own braces, if any,
     * come after the topic's and do not change the slot).
     */
    public String idempotency(Topic topic, String key) {
        return tagged(topic, "idem:" + key);
    }

    /** {@code <prefix>{type/id/channel}:<name>}: a key in the topic's slot (presence keeps its sets there). */
    public String tagged(Topic topic, String name) {
        return prefix + "{" + topic.name() + "}:" + name;
    }

    /**
     * The topic's pub/sub channel, {@code <prefix>{type/id/channel}:notify}: in the topic's slot, so
     * the publish script can SPUBLISH on it and only the topic's shard carries the message.
     */
    public String notifyChannel(Topic topic) {
        return tagged(topic, "notify");
    }

    /** The topic a {@link #notifyChannel(Topic)} belongs to, by its tag; null for another channel. */
    public String topicOfChannel(String channel) {
        String start = prefix + "{";
        String end = "}:notify";
        if (!channel.startsWith(start) || !channel.endsWith(end)) {
            return null;
        }
        return channel.substring(start.length(), channel.length() - end.length());
    }
}
