package dev.eventhub.store.redis;

import dev.eventhub.topic.Topic;

/**
 * Key naming. A topic's two keys share the hash tag {@code {type/id/channel}}, so a Lua script that
 * touches both stays within one slot on a Redis Cluster or a sharded managed Redis.
 */
record RedisKeys(String prefix) {

    String head(Topic topic) {
        return prefix + "{" + topic.name() + "}:head";
    }

    String log(Topic topic) {
        return prefix + "{" + topic.name() + "}:log";
    }

    /** The pub/sub channel that publishes announce themselves on. */
    String notifyChannel() {
        return prefix + "notify";
    }
}
